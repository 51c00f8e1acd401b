import Foundation
package import Logging
import Synchronization
package import Testing

/// Logs from the code under test, kept per test case and printed only when it fails.
///
/// Tests run servers, clients and reconcilers in-process, and swift-log's default handler
/// writes every `info` line to standard error, interleaved across tests. A suite marked
/// `.capturedLogs` bootstraps `LoggingSystem` (once per process) with `CapturedLogHandler`,
/// and every test case in it gets its own buffer: a record goes to the buffer of the test
/// running where the log call is made, else to the one that was running where the `Logger`
/// was made. After a test case that recorded a failing issue or threw, its buffer is printed
/// under a header naming the test; a passing test's buffer is dropped.
///
/// `TETHER_TEST_LOGS=all` prints every test's buffer, failed or not, and every record that
/// belongs to no test (logged on a thread outside any test's tasks), which is otherwise
/// dropped. `TETHER_TEST_LOG_LEVEL` (default `info`) sets the lowest level kept.
package struct CapturedLogsTrait: TestTrait, SuiteTrait, TestScoping {
    package var isRecursive: Bool { true }

    package func provideScope(for test: Test, testCase: Test.Case?,
                              performing function: @Sendable () async throws -> Void) async throws {
        CapturedLogs.bootstrap()
        guard testCase != nil || !test.isSuite else { return try await function() }
        let capture = LogCapture()
        let marking = IssueHandlingTrait.compactMapIssues { issue in
            if issue.isFailure { capture.markFailed() }
            return issue
        }
        do {
            try await LogCapture.$current.withValue(capture) {
                try await marking.provideScope(for: test, testCase: testCase, performing: function)
            }
        } catch {
            capture.markFailed()
            capture.flush(test: test)
            throw error
        }
        capture.flush(test: test)
    }
}

extension Trait where Self == CapturedLogsTrait {
    /// Captures the logs of every test in the suite, printing a test's logs only when it fails.
    package static var capturedLogs: Self { CapturedLogsTrait() }
}

/// Process-wide settings of the capture, read once from the environment.
package enum CapturedLogs {
    /// `TETHER_TEST_LOGS=all`: print every buffer and every record that belongs to no test.
    static let printAll = ProcessInfo.processInfo.environment["TETHER_TEST_LOGS"] == "all"

    /// The lowest level kept (`TETHER_TEST_LOG_LEVEL`, default `info` as swift-log's own).
    static let level: Logger.Level = ProcessInfo.processInfo.environment["TETHER_TEST_LOG_LEVEL"]
        .flatMap(Logger.Level.init(rawValue:)) ?? .info

    private static let bootstrapped: Void = {
        LoggingSystem.bootstrap { label in CapturedLogHandler(label: label) }
    }()

    /// Points `LoggingSystem` at `CapturedLogHandler`; later calls do nothing. Loggers made
    /// before the first call keep the default handler, so every suite that logs carries
    /// `.capturedLogs`.
    package static func bootstrap() { _ = bootstrapped }

    /// Writes text to standard error in one call, so it is not interleaved with other output.
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// The log lines of one test case.
package final class LogCapture: Sendable {
    /// The buffer of the test case the current task belongs to.
    @TaskLocal package static var current: LogCapture?

    /// The lines so far; nil once flushed, after which records (from a server the test
    /// started and a later test still uses) are dropped.
    private let lines = Mutex<[String]?>([])
    private let failed = Atomic<Bool>(false)
    private let started = ContinuousClock.now

    /// Appends one line (a formatted record, or a line a server the test started wrote to
    /// standard error), stamped with the time since the test started.
    package func append(_ line: String) {
        let elapsed = (ContinuousClock.now - started).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        lines.withLock { $0?.append(String(format: "%8.3fs ", seconds) + line) }
    }

    func markFailed() { failed.store(true, ordering: .relaxed) }

    /// Prints the buffer when the test failed (or `TETHER_TEST_LOGS=all`), then closes it.
    func flush(test: Test) {
        let taken = lines.withLock { lines in
            defer { lines = nil }
            return lines ?? []
        }
        guard !taken.isEmpty, failed.load(ordering: .relaxed) || CapturedLogs.printAll else { return }
        let name = test.id.description
        CapturedLogs.write("--- logs of \(name) (\(taken.count) lines) ---\n" + taken.joined(separator: "\n") + "\n--- end of logs of \(name) ---\n")
    }
}

/// A `LogHandler` that writes into the current test's `LogCapture`.
package struct CapturedLogHandler: LogHandler {
    let label: String
    /// The buffer of the test that made the logger, for records logged where no test's
    /// task-local is set (a server's event-loop thread, a dedicated C thread).
    let owner: LogCapture?
    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level = CapturedLogs.level

    package init(label: String) {
        self.label = label
        self.owner = LogCapture.current
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        var line = "\(event.level) \(label): \(event.message)"
        if !merged.isEmpty { line += " " + merged.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ") }
        if let capture = LogCapture.current ?? owner {
            capture.append(line)
        } else if CapturedLogs.printAll {
            CapturedLogs.write("(no test) " + line + "\n")
        }
    }
}
