package import TetherModel

/// Every rule that decides whether a live object may be deleted by a prune, in one place.
///
/// Per object (`decision(for:desiredIDs:parent:)`), in this order:
/// 1. only a **member** is considered: its kind and namespace are in the ApplySet
///    parent's inventory and it carries this set's part-of label (the list that found it
///    selected on that label), and it is no longer rendered;
/// 2. it must have been **applied by Tether's field manager** (a label copied by hand
///    does not make an object Tether's to delete);
/// 3. an object **owned by a controller** (an `ownerReferences` entry with
///    `controller: true`) is left to its owner;
/// 4. `tether.dev/prune: disabled` and `tether.dev/sync: disabled` keep it;
/// 5. **protected kinds** (Namespace, CustomResourceDefinition, PersistentVolumeClaim)
///    are pruned only with `--prune-protected`.
///
/// Per set, before anything is deleted:
/// - the **empty-render guard**: a render with no objects never prunes every member
///   unless `--allow-empty` (`emptyRenderRefusal`); it refuses the whole sync;
/// - the **budget**: more than `--max-prune` deletions, or more than
///   `--max-prune-percent` of the set's live members, are refused unless
///   `--force-prune` (`budgetRefusal`). Up to `smallSetAllowance` deletions are always
///   within the percentage, so a small set can lose an object. A refused budget holds
///   back only the deletions: creates and updates still happen.
package struct PruneSafety: Sendable {
    /// Deletions that never count against `--max-prune-percent` (a set of three objects
    /// losing one is 33 %, which should not need `--force-prune`).
    package static let smallSetAllowance = 3

    /// What a prune does with one live member no longer rendered.
    package enum Decision: Sendable, Equatable {
        /// Not a member of this set: never a candidate, not reported.
        case notMember
        /// Deleted by a prune.
        case prune
        /// Kept, with the reason reported as a skip.
        case keep(reason: String)
    }

    let options: EngineOptions

    package init(options: EngineOptions) {
        self.options = options
    }

    /// The decision for a live object found with this set's part-of label.
    /// - Throws: `EngineError` `invalidConfig` when a Tether annotation has a value it
    ///   does not know (naming the object and the annotation).
    package func decision(for object: Resource, desiredIDs: Set<ResourceID>, parent: ApplySetParent) throws(EngineError) -> Decision {
        let id = object.id
        guard !desiredIDs.contains(id), Set(parent.memberGroupKinds).contains(id.groupKind),
              id.namespace.isEmpty || parent.memberNamespaces.contains(id.namespace) else { return .notMember }
        guard Reconciler.managers(of: object).contains(options.fieldManager) else {
            return .keep(reason: "carries the part-of label but was never applied by \(options.fieldManager)")
        }
        if let owner = Reconciler.controllerOwner(of: object) { return .keep(reason: "owned by controller \(owner)") }
        if try PruneAnnotation(of: object) == .disabled { return .keep(reason: "annotated \(Annotations.prune): disabled") }
        if try SyncAnnotation(of: object) == .disabled { return .keep(reason: "annotated \(Annotations.sync): disabled") }
        if Self.isProtected(id), !options.pruneProtected { return .keep(reason: "\(id.kind) is only pruned with --prune-protected") }
        return .prune
    }

    /// Namespaces, CRDs and PVCs: deleting one takes everything in it (or its data) along.
    package static func isProtected(_ id: ResourceID) -> Bool {
        switch (id.group, id.kind) {
        case ("", "Namespace"), ("apiextensions.k8s.io", "CustomResourceDefinition"), ("", "PersistentVolumeClaim"): return true
        default: return false
        }
    }

    /// The empty-render guard: refuses a sync that would prune every member because the
    /// render produced nothing.
    package func emptyRenderRefusal(_ plan: Plan) -> EngineError? {
        guard options.prune, !options.allowEmpty else { return nil }
        let prunes = plan.entries.filter { $0.action == .prune }
        guard !prunes.isEmpty, !plan.entries.contains(where: { $0.desired != nil }) else { return nil }
        return EngineError(.emptyRender, "the render produced no objects, so --prune would delete all \(prunes.count) members of \(plan.applySet.id)",
                           hint: "Check --path. Pass --allow-empty if deleting everything is really intended.")
    }

    /// The budget: why the plan's deletions are refused, or nil when they are within it.
    package func budgetRefusal(_ plan: Plan) -> EngineError? {
        guard options.prune, !options.forcePrune else { return nil }
        let prunes = plan.entries.filter { $0.action == .prune }
        let inventory = plan.entries.filter { $0.live != nil }.count
        let overCount = prunes.count > options.maxPrune
        let overShare = prunes.count > Self.smallSetAllowance && inventory > 0 && prunes.count * 100 > options.maxPrunePercent * inventory
        guard overCount || overShare else { return nil }
        let listed = prunes.prefix(20).map { "  \($0.id)" }.joined(separator: "\n")
        let more = prunes.count > 20 ? "\n  … and \(prunes.count - 20) more" : ""
        return EngineError(.pruneBudget, """
            refusing to prune \(prunes.count) of \(inventory) objects (limits: --max-prune \(options.maxPrune), \
            --max-prune-percent \(options.maxPrunePercent)); the creates and updates were applied; would delete:
            \(listed)\(more)
            """, hint: "Review the list; pass --force-prune to delete them anyway, or raise the limits.")
    }
}

/// `tether.dev/prune`, parsed once.
package enum PruneAnnotation: String, Sendable, CaseIterable {
    /// The default: a member no longer rendered is deleted.
    case enabled
    /// Never deleted by a prune.
    case disabled

    /// Reads the annotation; absent means `enabled`.
    /// - Throws: `EngineError` `invalidConfig` naming the object, the annotation and the
    ///   values it accepts.
    package init(of object: Resource) throws(EngineError) {
        self = try typedAnnotation(object, Annotations.prune, default: .enabled)
    }
}

/// `tether.dev/sync`, parsed once.
package enum SyncAnnotation: String, Sendable, CaseIterable {
    /// The default: applied and pruned.
    case enabled
    /// Left alone: not applied, not pruned.
    case disabled

    /// Reads the annotation; absent means `enabled`.
    /// - Throws: `EngineError` `invalidConfig`, as `PruneAnnotation` does.
    package init(of object: Resource) throws(EngineError) {
        self = try typedAnnotation(object, Annotations.sync, default: .enabled)
    }
}

/// An annotation's value as one of `Value`'s cases; an unknown value is an error rather
/// than a silent default, since a typo (`disable`) must not let an object be deleted.
func typedAnnotation<Parsed: RawRepresentable & CaseIterable>(_ object: Resource, _ name: String, default fallback: Parsed) throws(EngineError) -> Parsed
where Parsed.RawValue == String {
    guard let text = object.annotation(name) else { return fallback }
    guard let value = Parsed(rawValue: text) else {
        let accepted = Parsed.allCases.map { "'\($0.rawValue)'" }.joined(separator: " or ")
        throw EngineError(.invalidConfig, "\(object.id): annotation \(name) has the unknown value '\(text)'", resource: object.id,
                          hint: "Use \(accepted).")
    }
    return value
}
