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
            The directory and everything it references must lie inside the current \
            directory (the root); remote bases are refused. Output is byte-identical \
            to `kubectl kustomize` v5.5 for the supported fields. SOPS-encrypted resources, \
            patches and generator sources are decrypted and verified while rendering, as \
            Flux's kustomize-controller does (keys: --age-key-file, --pgp-key-file, \
            SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, ~/.config/sops/age/keys.txt).
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var decryption: DecryptionOptions

    @Argument(help: ArgumentHelp("The kustomization directory, relative to the current directory.", valueName: "dir"))
    var directory: String

    func run() async throws {
        let logger = global.bootstrapLogging()
        do {
            let disk = try DiskFileSystem(root: FileManager.default.currentDirectoryPath)
            let fileSystem = try decryption.decrypting(disk)
            let text = try Renderer(fileSystem: fileSystem).renderText(relativePath(to: disk.root))
            logger.debug("rendered", metadata: ["render.path": "\(directory)"])
            FileHandle.standardOutput.write(Data(text.utf8))
        } catch {
            throw report(error)
        }
    }

    /// The directory relative to the root; an absolute path inside the root
    /// is accepted.
    private func relativePath(to root: String) -> String {
        guard directory.hasPrefix("/") else { return directory }
        let resolved = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        if resolved == root { return "" }
        return resolved.hasPrefix(root + "/") ? String(resolved.dropFirst(root.count + 1)) : directory
    }
}
