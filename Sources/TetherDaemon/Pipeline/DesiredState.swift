import Foundation
package import TetherGit
package import TetherModel
package import TetherEngine
import TetherRender

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
    package static func render(directory: String, path: String) throws(EngineError) -> [Resource] {
        let relative = path.split(separator: "/").filter { $0 != "." && !$0.isEmpty }.joined(separator: "/")
        do {
            let fileSystem = try DiskFileSystem(root: directory)
            return try Renderer(fileSystem: fileSystem).render(relative)
        } catch {
            throw EngineError(.render, "cannot render \(relative.isEmpty ? "." : relative)", cause: error)
        }
    }
}
