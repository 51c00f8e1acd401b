import ArgumentParser
import Foundation
import TetherGit
import TetherModel

/// `tether fetch`: bring the config repository's pinned revision into the
/// cache and print where its read-only checkout is.
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetch the config repository at a ref and print the checked-out revision.",
        discussion: """
            Clones once into the cache directory, then fetches only the pinned ref, and \
            only when the remote's commit changed (one ls-remote round trip otherwise). \
            The commit is materialised as a read-only checkout that is switched \
            atomically. With libgit2 older than 1.7 the ref is fetched at full depth; \
            1.7 and later could fetch shallow. Prints the checkout directory on standard \
            output and the revision on standard error (or everything as JSON).
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var git: GitOptions

    @Option(name: .long, help: ArgumentHelp("Output format: text or json.", valueName: "format"))
    var output: OutputFormat = .text

    enum OutputFormat: String, ExpressibleByArgument {
        case text, json
    }

    func run() async throws {
        let logger = global.bootstrapLogging()
        GitLibrary.initialize()
        do {
            let (source, options) = try git.resolved()
            let checkout = try await GitRepositoryCache(logger: logger).sync(source, options: options)
            print(try rendered(checkout, source: source))
        } catch {
            throw report(error)
        }
    }

    private func rendered(_ checkout: GitCheckout, source: GitSource) throws -> String {
        switch output {
        case .text:
            if let revision = checkout.revision {
                printError("\(source): \(revision.sha) \(revision.subject) (\(revision.author), \(revision.date.formatted(.iso8601)))\(checkout.changed ? "" : " — unchanged")")
            }
            return checkout.directory
        case .json:
            var object: Value = ["source": .string(source.redactedURL), "directory": .string(checkout.directory), "changed": .bool(checkout.changed)]
            if let revision = checkout.revision {
                object["revision"] = [
                    "sha": .string(revision.sha), "author": .string(revision.author),
                    "subject": .string(revision.subject), "date": .string(revision.date.formatted(.iso8601)),
                ]
            }
            return try JSONEncoding(pretty: true).string(object)
        }
    }
}
