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
            atomically. Prints the checkout directory on standard output and the \
            revision on standard error (or everything as JSON).

            Shallow fetch depends on the libgit2 Tether is built with. libgit2 1.5 and \
            1.6 (Debian 12) cannot fetch shallow: the first fetch downloads the pinned \
            branch's or tag's whole history. With libgit2 1.7 or later the first fetch \
            asks for depth 1. Either way later fetches are incremental, and a commit-SHA \
            pin always fetches full depth so the SHA can be found on its branch.

            HTTPS trusts the system CA store unless --ca-file names a PEM file of CAs to \
            trust instead. Git configuration outside the cache (/etc/gitconfig, \
            ~/.gitconfig, $XDG_CONFIG_HOME/git/config) is never read, so settings such \
            as url.<base>.insteadOf cannot redirect the fetch.
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
                printError("\(source): \(revision.label) \(revision.subject) (\(revision.author), \(revision.date.formatted(.iso8601)))\(checkout.changed ? "" : " — unchanged")")
            }
            if let warning = UncommittedWarning.text(checkout.revision, source: source) { printError(warning) }
            return checkout.directory
        case .json:
            var object: Value = ["source": .string(source.redactedURL), "directory": .string(checkout.directory), "changed": .bool(checkout.changed)]
            if let revision = checkout.revision {
                object["revision"] = [
                    "sha": .string(revision.sha), "author": .string(revision.author),
                    "subject": .string(revision.subject), "date": .string(revision.date.formatted(.iso8601)),
                    "dirty": .bool(revision.isDirty), "uncommitted": .list(revision.uncommitted.map(Value.string)),
                ]
            }
            return try JSONEncoding(pretty: true).string(object)
        }
    }
}
