package import TetherModel

/// The diff of one planned object, as `kubectl diff` shows it: the live object against
/// the object as it would be after applying, both as YAML without server bookkeeping
/// (`ComparableObject.stripped`), and with every Secret value masked.
///
/// Creates compare an empty text with the merged object, prunes the live object with an
/// empty text; unchanged and skipped objects have no diff.
package struct ObjectDiff: Sendable, Hashable {
    package var id: ResourceID
    package var apiVersion: String
    package var action: PlannedAction
    /// The line diff of the two YAML texts; empty when there is nothing to show.
    package var lines: LineDiff

    /// Diffs one plan entry.
    /// - Parameter entry: the entry; for updates `merged` (or, without one, `desired`)
    ///   is compared with `live`.
    /// - Throws: `EngineError` (`.cluster`) when an object cannot be written as YAML
    ///   (a number that is infinite or NaN, or nesting deeper than the encoder allows).
    package init(entry: PlanEntry) throws(EngineError) {
        id = entry.id
        apiVersion = entry.apiVersion
        action = entry.action
        let (before, after) = Self.sides(of: entry)
        guard before != nil || after != nil else {
            lines = LineDiff(old: "", new: "")
            return
        }
        var live = before.map { ComparableObject.stripped($0).value }
        var merged = after.map { ComparableObject.stripped($0).value }
        if SecretMask.applies(to: entry.id) || SecretMask.isSecret(live) || SecretMask.isSecret(merged) {
            SecretMask.mask(&live, &merged)
        }
        lines = LineDiff(old: try Self.yaml(live, id: entry.id), new: try Self.yaml(merged, id: entry.id))
    }

    /// The objects compared for an entry; both nil when the action shows no diff.
    private static func sides(of entry: PlanEntry) -> (Resource?, Resource?) {
        switch entry.action {
        case .create: return (nil, entry.merged ?? entry.desired)
        case .update: return (entry.live, entry.merged ?? entry.desired)
        case .prune: return (entry.live, nil)
        case .unchanged, .skip: return (nil, nil)
        }
    }

    private static func yaml(_ value: Value?, id: ResourceID) throws(EngineError) -> String {
        guard let value else { return "" }
        do {
            return try YAMLEncoder().encode(value)
        } catch {
            throw EngineError(.cluster, "\(id): the object cannot be shown as YAML", resource: id,
                              hint: "This is a bug in what the API server returned or in Tether; report it with the object's kind.",
                              cause: error)
        }
    }

    /// kubectl diff's name for the object's file: `group.version.kind.namespace.name`
    /// (`apps.v1.Deployment.prod.web`, `v1.Namespace..prod`).
    package var fileName: String {
        let version = GroupVersionKind(apiVersion: apiVersion, kind: id.kind).version
        let group = id.group.isEmpty ? "" : id.group + "."
        return "\(group)\(version).\(id.kind).\(id.namespace).\(id.name)"
    }

    /// The unified diff with `--- live/NAME` and `+++ merged/NAME` headers; empty when
    /// there is no difference.
    /// - Parameter format: plain or coloured.
    package func unified(format: DiffFormat = DiffFormat()) -> String {
        lines.unified(oldName: "live/" + fileName, newName: "merged/" + fileName, format: format)
    }
}
