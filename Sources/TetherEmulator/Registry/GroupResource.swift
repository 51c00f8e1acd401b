/// A resource named by API group and plural name, the key the API server
/// stores objects under (`apps/deployments`, `configmaps`).
package struct GroupResource: Sendable, Hashable, Comparable, CustomStringConvertible {
    package var group: String
    package var resource: String

    package init(group: String, resource: String) {
        self.group = group
        self.resource = resource
    }

    /// `deployments.apps`, or `configmaps` for the core group: the way the
    /// API server names a resource in error messages.
    package var qualified: String { group.isEmpty ? resource : resource + "." + group }

    package var description: String { qualified }

    package static func < (a: GroupResource, b: GroupResource) -> Bool {
        (a.group, a.resource) < (b.group, b.resource)
    }
}
