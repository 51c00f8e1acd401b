import TetherModel

extension SavedPlan {
    /// What stops a saved plan from being applied as it is: the revision moved, the
    /// rendered objects differ, or a live object changed (uid or resourceVersion) or
    /// appeared or disappeared since the plan was made.
    /// - Parameter fresh: a plan made now from the same source, against the same cluster.
    /// - Returns: one line per problem, naming the object; empty when the plan still holds.
    package func problems(comparedWith fresh: Plan) -> [String] {
        var problems: [String] = []
        if revision != fresh.revision {
            problems.append("the source is at \(fresh.revision ?? "no revision"), the plan was made at \(revision ?? "no revision")")
        }
        if applySetParent != fresh.applySet.id {
            problems.append("the plan is for the ApplySet \(applySetParent), this sync is for \(fresh.applySet.id)")
        }
        problems += verify(rendered: fresh.entries.compactMap(\.desired)).map(\.description)
        let now = Dictionary(fresh.entries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for entry in entries {
            guard let current = now[entry.id] else {
                if entry.action == .prune { problems.append("\(entry.id) was to be pruned but is gone or no longer a member") }
                continue
            }
            if current.liveUID != entry.liveUID || current.liveResourceVersion != entry.liveResourceVersion {
                let before = entry.liveUID == nil ? "absent" : "resourceVersion \(entry.liveResourceVersion ?? "?")"
                let after = current.liveUID == nil ? "absent" : "resourceVersion \(current.liveResourceVersion ?? "?")"
                problems.append("\(entry.id) changed in the cluster since the plan was made (\(before) → \(after))")
            }
        }
        let planned = Set(entries.map(\.id))
        for entry in fresh.entries where entry.action == .prune && !planned.contains(entry.id) {
            problems.append("\(entry.id) would now be pruned but the plan does not prune it")
        }
        return problems
    }
}
