/// A request for one resource, resolved against the registry.
struct ResourceRequest {
    var type: ResourceType
    /// Empty for cluster-scoped resources.
    var namespace: String
    /// Empty for collection requests.
    var name: String
    var subresource: ResourceType.Subresource?
    var query: QueryParameters
    var dryRun: Bool
    /// The field manager non-apply writes are recorded under.
    var manager: String = ""
}
