import Foundation
import TetherModel

/// `--state DIR`: the store's objects on disk, crash-safe.
///
/// Two files: `snapshot.json`, every object at one resourceVersion, and
/// `wal.log`, one line per change since (`<crc32> <json>`), appended and
/// fsynced before the request that made the change is answered. Opening
/// reads the snapshot, replays the log up to the first torn or corrupt line
/// (a crash mid-write; the rest is cut off), then compacts: a new snapshot
/// is written to a temporary file, fsynced and renamed over the old one, and
/// only then is the log emptied. A crash at any point leaves either the old
/// snapshot with the full log, or the new snapshot with a log whose records
/// it already holds (skipped by resourceVersion).
///
/// Not `Sendable`: owned by the `ObjectStore` actor.
final class StateJournal {
    /// The objects restored, by resource and `namespace/name`.
    struct State {
        var resourceVersion = 0
        var objects: [GroupResource: [String: Value]] = [:]
    }

    let directory: URL
    private var log: Int32 = -1
    private var records = 0
    /// Records in the log before a compaction rewrites the snapshot.
    private let compactAfter: Int

    private var snapshotPath: String { directory.appendingPathComponent("snapshot.json").path }
    private var logPath: String { directory.appendingPathComponent("wal.log").path }

    /// Opens DIR (creating it), restoring what it holds.
    ///
    /// - Throws: `EmulatorError` `.configuration` when DIR cannot be used or
    ///   the snapshot is unreadable.
    init(directory: URL, compactAfter: Int = 50_000) throws(EmulatorError) {
        self.directory = directory
        self.compactAfter = compactAfter
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw fail("cannot create the state directory: \(error.localizedDescription)")
        }
    }

    deinit { if log >= 0 { close(log) } }

    /// Reads the snapshot and replays the log.
    func restore() throws(EmulatorError) -> State? {
        var state = State()
        var found = false
        if let data = FileManager.default.contents(atPath: snapshotPath) {
            found = true
            let snapshot: Value
            do {
                snapshot = try JSONParsing().value(from: Array(data))
            } catch {
                throw fail("snapshot.json is not valid JSON (\(error)). Restore it from a backup or remove the directory.")
            }
            state.resourceVersion = snapshot["resourceVersion"]?.intValue ?? 0
            for item in snapshot["items"]?.listValue ?? [] {
                guard let resource = Self.resource(item), let key = item["key"]?.stringValue, let object = item["object"] else { continue }
                state.objects[resource, default: [:]][key] = object
            }
        }
        guard let data = FileManager.default.contents(atPath: logPath) else { return found ? state : nil }
        found = true
        var valid = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            guard let record = Self.decode(Array(line)) else { break }
            valid += line.count + 1
            guard let rv = record["rv"]?.intValue, rv > state.resourceVersion,
                  let resource = Self.resource(record), let key = record["key"]?.stringValue
            else { continue }
            state.resourceVersion = rv
            // Spelled out: `Value` is ExpressibleByNilLiteral, so a `nil` here could become `.null`.
            if let object = record["object"], !object.isNull {
                state.objects[resource, default: [:]][key] = object
            } else {
                state.objects[resource]?.removeValue(forKey: key)
            }
        }
        if valid < data.count {
            // A torn tail from a crash mid-append: drop it before appending again.
            truncate(logPath, off_t(valid))
        }
        return state
    }

    /// Writes a new snapshot of `state` and empties the log.
    func compact(_ state: State) throws(EmulatorError) {
        var items: [Value] = []
        for resource in state.objects.keys.sorted() {
            for (key, object) in (state.objects[resource] ?? [:]).sorted(by: { $0.key < $1.key }) {
                items.append(["group": .string(resource.group), "resource": .string(resource.resource),
                              "key": .string(key), "object": object])
            }
        }
        let snapshot: Value = ["resourceVersion": .int(state.resourceVersion), "items": .list(items)]
        let temporary = snapshotPath + ".tmp"
        do {
            try writeSynced(temporary, try JSONEncoding().bytes(snapshot))
        } catch let error as EmulatorError {
            throw error
        } catch {
            throw fail("cannot encode the snapshot: \(error)")
        }
        guard rename(temporary, snapshotPath) == 0 else { throw fail("cannot rename the new snapshot: \(errorText())") }
        syncDirectory()
        if log >= 0 { close(log) }
        log = open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o600)
        guard log >= 0 else { throw fail("cannot open wal.log: \(errorText())") }
        fsync(log)
        syncDirectory()
        records = 0
    }

    /// Appends one change and fsyncs it; `object` nil is a deletion.
    ///
    /// - Returns: whether the log has grown enough to compact.
    func append(rv: Int, resource: GroupResource, key: String, object: Value?) throws(EmulatorError) -> Bool {
        let record: Value = ["rv": .int(rv), "group": .string(resource.group), "resource": .string(resource.resource),
                             "key": .string(key), "object": object ?? .null]
        guard let json = try? JSONEncoding().bytes(record) else { throw fail("cannot encode a change") }
        var line = Array(String(format: "%08x ", CRC32.checksum(json)).utf8) + json
        line.append(UInt8(ascii: "\n"))
        try writeAll(log, line, logPath)
        guard fsync(log) == 0 else { throw fail("cannot fsync wal.log: \(errorText())") }
        records += 1
        return records >= compactAfter
    }

    // MARK: Files

    private static func decode(_ line: [UInt8]) -> Value? {
        guard line.count > 9, line[8] == UInt8(ascii: " "),
              let crc = UInt32(String(decoding: line[0..<8], as: UTF8.self), radix: 16)
        else { return nil }
        let json = Array(line[9...])
        guard CRC32.checksum(json) == crc else { return nil }
        return try? JSONParsing().value(from: json)
    }

    private static func resource(_ item: Value) -> GroupResource? {
        guard let group = item["group"]?.stringValue, let resource = item["resource"]?.stringValue else { return nil }
        return GroupResource(group: group, resource: resource)
    }

    private func writeSynced(_ path: String, _ bytes: [UInt8]) throws(EmulatorError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw fail("cannot write \(path): \(errorText())") }
        defer { close(fd) }
        try writeAll(fd, bytes, path)
        guard fsync(fd) == 0 else { throw fail("cannot fsync \(path): \(errorText())") }
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8], _ path: String) throws(EmulatorError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw fail("cannot write \(path): \(errorText())") }
            offset += written
        }
    }

    /// Makes a rename or a new file in the directory durable.
    private func syncDirectory() {
        let fd = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    private func errorText() -> String { String(cString: strerror(errno)) }

    private func fail(_ what: String) -> EmulatorError {
        EmulatorError(.configuration, "\(directory.path): \(what)")
    }
}

/// CRC-32 (IEEE), to tell a torn or corrupt log line from a whole one.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
