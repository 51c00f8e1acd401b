package import TetherModel

/// The parts of an object that a diff and the unchanged check look at: everything
/// except server bookkeeping (`managedFields`, `resourceVersion`, `generation`, `uid`,
/// `creationTimestamp`, `selfLink`) and `status`.
package enum ComparableObject {
    static let bookkeeping = ["managedFields", "resourceVersion", "generation", "uid", "creationTimestamp", "selfLink"]

    package static func stripped(_ resource: Resource) -> Resource {
        guard case .map(var map) = resource.value else { return resource }
        _ = map.removeValue(forKey: "status")
        map.modifyValue(forKey: "metadata") { metadata in
            guard case .map(var fields) = metadata else { return }
            for key in bookkeeping { _ = fields.removeValue(forKey: key) }
            metadata = .map(fields)
        }
        return Resource(unchecked: .map(map), origin: resource.origin)
    }
}
