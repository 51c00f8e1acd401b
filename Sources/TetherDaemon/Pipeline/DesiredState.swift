import Foundation
package import TetherGit
package import TetherModel
package import TetherEngine
package import TetherRender

/// The rendered objects of one source at one revision.
package struct DesiredState: Sendable {
    package var objects: [Resource]
    /// The commit, when the source is a Git repository.
    package var revision: GitRevision?
    /// The checkout directory the objects were rendered from.
    package var directory: String
    /// How long fetching and rendering took (`ReconcilePipeline` fills them in).
    package var fetchDuration: Duration = .zero
    package var renderDuration: Duration = .zero

    /// Renders `path` (relative, inside `directory`) with the built-in renderer.
    /// - Parameter decrypter: decrypts SOPS-encrypted files as they are read (resources,
    ///   patches, generator sources, Helm values), as Flux's kustomize-controller does;
    ///   `nil` reads every file as stored.
    /// - Parameter charts: the Helm engine for `helmCharts`; `nil` refuses them.
    /// - Throws: `EngineError` `render`; a file that cannot be decrypted or verified stops
    ///   the whole render, so nothing of it is applied or pruned.
    package static func render(directory: String, path: String, decrypter: (any FileDecrypting)? = nil,
                              charts: ChartRendererFactory? = nil) throws(EngineError) -> [Resource] {
        let relative = path.split(separator: "/").filter { $0 != "." && !$0.isEmpty }.joined(separator: "/")
        do {
            let disk = try DiskFileSystem(root: directory)
            let fileSystem: any FileSystem = decrypter.map { DecryptingFileSystem(base: disk, decrypter: $0) } ?? disk
            return try Renderer(fileSystem: fileSystem, chartRenderer: charts?(disk.root, decrypter)).render(relative)
        } catch {
            throw EngineError(.render, "cannot render \(relative.isEmpty ? "." : relative)", cause: error)
        }
    }
}
