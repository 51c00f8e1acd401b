import ArgumentParser
import Foundation
import Logging
import TetherRender

/// `tether render`: build a kustomization directory exactly as `kubectl
/// kustomize` would and print the stream.
struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a kustomization directory to a YAML stream, as kubectl kustomize does.",
        discussion: """
            The root is the top of the Git work tree that holds the directory (or the \
            directory itself outside a repository), whatever the current directory; \
            --root chooses another. Everything the kustomization references (`../base` \
            included) must lie inside the root; remote bases are refused. Output is byte-identical \
            to `kubectl kustomize` v5.5 for the supported fields. SOPS-encrypted resources, \
            patches and generator sources are decrypted and verified while rendering, as \
            Flux's kustomize-controller does (keys: --age-key-file, --pgp-key-file, \
            SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, ~/.config/sops/age/keys.txt).
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var decryption: DecryptionOptions

    @Argument(help: ArgumentHelp("The kustomization directory, absolute or relative to the current directory.", valueName: "dir"))
    var directory: String

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The directory the kustomization and everything it references must stay inside (default: the top of the Git work tree that holds <dir>, or <dir> itself outside a repository).",
            valueName: "dir"))
    var root: String?

    func run() async throws {
        let logger = global.bootstrapLogging()
        do {
            let location = try RenderRoot.locate(directory, root: root, currentDirectory: FileManager.default.currentDirectoryPath)
            let disk = try DiskFileSystem(root: location.root)
            let fileSystem = try decryption.decrypting(disk)
            let text = try Renderer(fileSystem: fileSystem).renderText(location.path)
            logger.debug("rendered", metadata: ["render.path": "\(directory)", "render.root": "\(location.root)"])
            FileHandle.standardOutput.write(Data(text.utf8))
        } catch {
            throw report(error)
        }
    }
}
