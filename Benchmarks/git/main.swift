// GitBench: times one TetherGit operation in-process and prints `<milliseconds> <sha>`.
// Driven by run.sh, which times the git CLI doing the same work beside it.
import Foundation
import Logging
import TetherGit

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: GitBench <url> <cache-directory>\n".utf8))
    exit(2)
}
var logger = Logger(label: "tether.gitbench")
logger.logLevel = .warning
let cache = GitRepositoryCache(logger: logger)
let options = GitSourceOptions(cacheDirectory: arguments[2])
let started = ContinuousClock.now
do {
    let checkout = try await cache.sync(try GitSource(arguments[1]), options: options)
    let elapsed = ContinuousClock.now - started
    let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    print(String(format: "%.1f", ms), checkout.revision?.sha ?? "-", checkout.changed ? "changed" : "unchanged")
} catch {
    FileHandle.standardError.write(Data("GitBench: \(error)\n".utf8))
    exit(1)
}
