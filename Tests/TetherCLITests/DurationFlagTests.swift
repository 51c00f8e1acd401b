import Foundation
import Testing

/// Time flags take durations with units (`90s`, `1m`, `1h30m`, `500ms`); a bare number
/// stays seconds; a bad value names the flag and the accepted forms (exit 2).
@Suite("durations with units on every time flag")
struct DurationFlagTests {
    @Test("units are read: 0m reaches --timeout's own check, 1h30m and a bare number pass it")
    func unitsParsed() throws {
        let zero = try CLI.run(["sync", "--source", ".", "--emulator", "--timeout", "0m"])
        #expect(zero.status == 2 && zero.stderr.contains("--timeout must be a positive"), "\(zero.stderr)")
        let shutdown = try CLI.run(["run", "--source", ".", "--emulator", "--shutdown-timeout", "500ms"])
        #expect(shutdown.status == 2 && shutdown.stderr.contains("whole number of seconds"), "\(shutdown.stderr)")
        let interval = try CLI.run(["run", "--source", ".", "--emulator", "--interval", "0s"])
        #expect(interval.status == 2 && interval.stderr.contains("--interval and --resync must be at least 1 second"), "\(interval.stderr)")
        let lease = try CLI.run(["run", "--source", ".", "--emulator", "--lease-duration", "5s", "--renew-deadline", "10s"])
        #expect(lease.status == 2 && lease.stderr.contains("--lease-duration must be greater"), "\(lease.stderr)")
    }

    @Test("a dry-run sync with --timeout 1h30m and --total-timeout 2m works", .timeLimit(.minutes(2)))
    func acceptedForms() throws {
        let tree = try SyncCommandTests.tree()
        defer { try? FileManager.default.removeItem(at: tree) }
        let out = try CLI.run(["sync", "--source", tree.path, "--path", "overlays/aws", "--emulator", "--dry-run",
                               "--timeout", "1h30m", "--total-timeout", "2m", "--connect-timeout", "10"])
        #expect(out.status == 0, "\(out.stderr)")
    }

    @Test("a bad value names the flag and the accepted forms", arguments: [
        ["sync", "--timeout", "5x"], ["run", "--interval", "soon"], ["run", "--stale-after", "1d"], ["diff", "--idle-timeout", "m"],
    ])
    func refused(_ arguments: [String]) throws {
        let out = try CLI.run(arguments + ["--source", "."])
        #expect(out.status == 2, "\(out.stderr)")
        #expect(out.stderr.contains(arguments[1]) && out.stderr.contains("90s, 5m, 1h30m or 500ms"), "\(out.stderr)")
    }
}

/// `tether run --listen` on a taken port: one line naming the address and the flag, exit 2.
@Suite("tether run --listen errors")
struct ListenFlagTests {
    @Test("a port in use is refused before the daemon starts, naming --listen")
    func takenPort() throws {
        let holder = try SyncCommandTests.Emulator()
        let out = try CLI.run(["run", "--source", ".", "--emulator", "--listen", holder.address])
        #expect(out.status == 2, "\(out.stderr)")
        let errors = out.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1 && errors[0].contains(holder.address) && errors[0].contains("already in use")
                    && errors[0].contains("--listen"), "\(out.stderr)")
        #expect(!out.stderr.contains("bind(descriptor"), "\(out.stderr)")
    }
}
