import Foundation
package import Logging
package import TetherGit
package import TetherModel
import TetherRender

/// The rendered objects of one source at one revision.
package struct DesiredState: Sendable {
    package var objects: [Resource]
    /// The commit, when the source is a Git repository.
    package var revision: GitRevision?
    /// The checkout directory the objects were rendered from.
    package var directory: String
    /// How long fetching and rendering took (`load` fills them in).
    package var fetchDuration: Duration = .zero
    package var renderDuration: Duration = .zero

    /// Fetches the source (or uses a local directory as is) and renders `path` inside it.
    /// - Throws: `EngineError` with code `source` (fetch failed) or `render` (the
    ///   kustomization is invalid), wrapping the underlying error.
    package static func load(source: GitSource, options: GitSourceOptions, path: String, logger: Logger) async throws(EngineError) -> DesiredState {
        let clock = ContinuousClock()
        let fetchStart = clock.now
        let checkout: GitCheckout
        do {
            checkout = try await GitRepositoryCache(logger: logger).sync(source, options: options)
        } catch {
            throw EngineError(.source, "cannot fetch \(source)", cause: error)
        }
        let renderStart = clock.now
        let objects = try render(directory: checkout.directory, path: path)
        return DesiredState(objects: objects, revision: checkout.revision, directory: checkout.directory,
                            fetchDuration: renderStart - fetchStart, renderDuration: clock.now - renderStart)
    }

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
