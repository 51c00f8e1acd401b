import Foundation
import TetherTemplate

/// Sprig's date functions (date.go) over `GoTime` and `GoDuration`. "Local" is the process's
/// time zone, as in Helm; an unknown zone falls back to UTC as `dateInZone` does.
extension Sprig {
    static var dates: [String: TemplateFunction] {
        var f: [String: TemplateFunction] = [:]
        let time = TemplateType.named("time.Time")
        f["now"] = TemplateFunction { _, _ in .object(GoTime.now()) }
        f["date"] = TemplateFunction([.string, .any]) { a, _ in .string(dateInZone(str(a, 0), a[1], "Local")) }
        f["dateInZone"] = TemplateFunction([.string, .any, .string]) { a, _ in .string(dateInZone(str(a, 0), a[1], str(a, 2))) }
        f["htmlDate"] = TemplateFunction([.any]) { a, _ in .string(dateInZone("2006-01-02", a[0], "Local")) }
        f["htmlDateInZone"] = TemplateFunction([.any, .string]) { a, _ in .string(dateInZone("2006-01-02", a[0], str(a, 1))) }
        f["dateModify"] = TemplateFunction([.string, time]) { a, _ in
            let t = goTime(a[1])
            guard let d = try? GoDuration.parse(str(a, 0)) else { return .object(t) }
            return .object(t.adding(d))
        }
        f["mustDateModify"] = TemplateFunction([.string, time]) { a, _ in .object(goTime(a[1]).adding(try GoDuration.parse(str(a, 0)))) }
        f["ago"] = TemplateFunction([.any]) { a, _ in
            var t = GoTime.now()
            switch a[0] {
            case .object(let o as GoTime): t = o
            case .int(let s, .int64), .int(let s, .int): t = GoTime(seconds: s, zone: GoTime.local)
            default: break
            }
            let now = GoTime.now()
            var d = (now.seconds - t.seconds) * 1_000_000_000 + (now.nanoseconds - t.nanoseconds)
            d = (d + (d < 0 ? -500_000_000 : 500_000_000)) / 1_000_000_000 * 1_000_000_000
            return .string(GoDuration.string(d))
        }
        f["duration"] = TemplateFunction([.any]) { a, _ in
            var n: Int64 = 0
            switch a[0] {
            case .string(let s): n = Int64(s) ?? 0
            case .int(let v, .int64): n = v
            default: break
            }
            return .string(GoDuration.string(n.multipliedReportingOverflow(by: 1_000_000_000).partialValue))
        }
        f["durationRound"] = TemplateFunction([.any]) { a, _ in
            var d: Int64 = 0
            switch a[0] {
            case .string(let s): d = (try? GoDuration.parse(s)) ?? 0
            case .int(let v, .int64): d = v
            case .object(let t as GoTime):
                let now = GoTime.now()
                d = (now.seconds - t.seconds) * 1_000_000_000 + (now.nanoseconds - t.nanoseconds)
            default: break
            }
            return .string(durationRound(d))
        }
        f["toDate"] = TemplateFunction([.string, .string]) { a, _ in
            .object((try? GoTime.parse(str(a, 0), str(a, 1), in: GoTime.local)) ?? GoTime.zero)
        }
        f["mustToDate"] = TemplateFunction([.string, .string]) { a, _ in .object(try GoTime.parse(str(a, 0), str(a, 1), in: GoTime.local)) }
        f["unixEpoch"] = TemplateFunction([time]) { a, _ in .string(String(goTime(a[0]).seconds)) }
        return f
    }

    static func goTime(_ v: TemplateValue) -> GoTime {
        if case .object(let o as GoTime) = v { return o }
        return GoTime.zero
    }

    static func dateInZone(_ layout: String, _ date: TemplateValue, _ zone: String) -> String {
        var t: GoTime
        switch date {
        case .object(let o as GoTime): t = o
        case .int(let s, .int64), .int(let s, .int), .int(let s, .int32): t = GoTime(seconds: s, zone: GoTime.local)
        default: t = GoTime.now()
        }
        t.zone = zone == "Local" ? GoTime.local : (zone.isEmpty ? TimeZone(identifier: "UTC")! : TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!)
        return t.format(layout)
    }

    static func durationRound(_ d: Int64) -> String {
        let u = d.magnitude
        let second: UInt64 = 1_000_000_000, minute = 60 * second, hour = 60 * minute, day = 24 * hour
        let month = 30 * day, year = 365 * day
        for (unit, name) in [(year, "y"), (month, "mo"), (day, "d"), (hour, "h"), (minute, "m"), (second, "s")] where u > unit {
            return String(u / unit) + name
        }
        return "0s"
    }
}

extension GoTime {
    /// Go's zero `time.Time` (January 1, year 1, 00:00:00 UTC).
    static var zero: GoTime { GoTime(seconds: -62_135_596_800, zone: TimeZone(identifier: "UTC")!) }

    func adding(_ d: Int64) -> GoTime {
        var n = nanoseconds + d % 1_000_000_000
        var s = seconds + d / 1_000_000_000
        if n < 0 { n += 1_000_000_000; s -= 1 } else if n >= 1_000_000_000 { n -= 1_000_000_000; s += 1 }
        return GoTime(seconds: s, nanoseconds: n, zone: zone)
    }
}
