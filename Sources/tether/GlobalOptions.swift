import Synchronization
import ArgumentParser
import Logging

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Log level: trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel: LogLevelOption = .notice

    /// Sends logs to stderr at the chosen level. Call once, first thing in
    /// `run()`; only the CLI bootstraps logging.
    func bootstrapLogging() -> Logger {
        let level = logLevel.level
        LoggingBootstrap.once {
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        var logger = Logger(label: "tether")
        logger.logLevel = level
        return logger
    }
}

/// `--log-level` values.
struct LogLevelOption: ExpressibleByArgument, Sendable {
    var level: Logger.Level
    static let notice = LogLevelOption(level: .notice)

    init(level: Logger.Level) { self.level = level }

    init?(argument: String) {
        guard let level = Logger.Level(rawValue: argument.lowercased()) else { return nil }
        self.level = level
    }

    var defaultValueDescription: String { level.rawValue }
    static var allValueStrings: [String] { Logger.Level.allCases.map(\.rawValue) }
}

/// Bootstraps the logging system at most once per process (it traps on a
/// second call).
enum LoggingBootstrap {
    private static let lock = LockedFlag()

    static func once(_ body: () -> Void) {
        if lock.setIfUnset() { body() }
    }
}

/// A flag set at most once across threads.
final class LockedFlag: Sendable {
    private let isSet = Mutex(false)

    func setIfUnset() -> Bool {
        isSet.withLock { isSet in
            if isSet { return false }
            isSet = true
            return true
        }
    }
}
