package import TetherKube
import TetherModel
package import TetherEngine

/// `--path overlays/auto`: picks the overlay for the cloud the cluster runs on, from
/// its Nodes' `spec.providerID` scheme (`aws://`, `gce://`, `azure://`).
package enum CloudDetection {
    /// The overlay directory name for a providerID, or nil when the scheme is not one of
    /// the three clouds.
    package static func overlay(forProviderID providerID: String) -> String? {
        if providerID.hasPrefix("aws://") { return "aws" }
        if providerID.hasPrefix("gce://") { return "gcp" }
        if providerID.hasPrefix("azure://") { return "azure" }
        return nil
    }

    /// Replaces a trailing `auto` path component with the detected cloud.
    /// - Throws: `EngineError` `invalidConfig` when the Nodes name no cloud, disagree, or
    ///   cannot be read.
    package static func resolve(path: String, client: KubeClient) async throws(EngineError) -> String {
        var components = path.split(separator: "/").map(String.init)
        guard components.last == "auto" else { return path }
        let nodes: [Resource]
        do {
            nodes = try await client.list(GroupVersionKind(group: "", version: "v1", kind: "Node"), namespace: "").items
        } catch {
            throw EngineError(.invalidConfig, "--path \(path): cannot list Nodes to detect the cloud",
                              hint: "Grant list on nodes, or name the overlay (overlays/aws, overlays/gcp, overlays/azure).", cause: error)
        }
        let clouds = Set(nodes.compactMap { $0.value[path: ["spec", "providerID"]]?.stringValue }.compactMap(overlay(forProviderID:)))
        guard clouds.count == 1, let cloud = clouds.first else {
            let seen = nodes.compactMap { $0.value[path: ["spec", "providerID"]]?.stringValue }.prefix(3)
            throw EngineError(.invalidConfig,
                              clouds.isEmpty
                                ? "--path \(path): cannot tell the cloud: \(nodes.count) Nodes, providerIDs \(seen.isEmpty ? "none" : seen.joined(separator: ", ")) (expected aws://, gce:// or azure://)"
                                : "--path \(path): the Nodes belong to several clouds (\(clouds.sorted().joined(separator: ", ")))",
                              hint: "Name the overlay explicitly, e.g. --path overlays/aws.")
        }
        components[components.count - 1] = cloud
        return components.joined(separator: "/")
    }
}
