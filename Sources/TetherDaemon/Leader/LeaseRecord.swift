import Foundation
import TetherModel

/// The leader-election fields of a Lease's `spec`.
struct LeaseRecord: Sendable, Equatable {
    var holderIdentity: String
    var leaseDurationSeconds: Int
    var acquireTime: String
    var renewTime: String
    var leaseTransitions: Int

    init(holderIdentity: String, leaseDurationSeconds: Int, acquireTime: String, renewTime: String, leaseTransitions: Int) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
    }

    /// Reads the record from a Lease object; missing fields are empty or zero.
    init(lease: Value) {
        let spec = lease["spec"]
        holderIdentity = spec?["holderIdentity"]?.stringValue ?? ""
        leaseDurationSeconds = spec?["leaseDurationSeconds"]?.intValue ?? 0
        acquireTime = spec?["acquireTime"]?.stringValue ?? ""
        renewTime = spec?["renewTime"]?.stringValue ?? ""
        leaseTransitions = spec?["leaseTransitions"]?.intValue ?? 0
    }

    /// The `spec` map.
    var spec: Value {
        var map = OrderedMap()
        map["holderIdentity"] = .string(holderIdentity)
        map["leaseDurationSeconds"] = .int(leaseDurationSeconds)
        if !acquireTime.isEmpty { map["acquireTime"] = .string(acquireTime) }
        if !renewTime.isEmpty { map["renewTime"] = .string(renewTime) }
        map["leaseTransitions"] = .int(leaseTransitions)
        return .map(map)
    }

    /// A Kubernetes `MicroTime`: RFC 3339 in UTC with microseconds.
    static func microTime(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
        var seconds = time_t(micros / 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let fraction = Int(micros % 1_000_000)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), fraction)
    }
}
