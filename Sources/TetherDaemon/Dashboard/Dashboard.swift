import Foundation
package import TetherEngine
package import TetherModel
import TetherPatch

/// What the dashboard shows and the API answers, for the one target `tether run` keeps
/// in sync: built from the `DashboardRecorder` and the reconciler's watch cache only, so
/// no page or API call sends a request to the cluster.
package struct Dashboard: Sendable {
    /// The target as configured (never a credential: the source URL is redacted).
    package struct Target: Sendable {
        /// The ApplySet name (`--name`), also the target's name in URLs.
        package var name: String
        package var source: String
        package var ref: String?
        package var path: String
        package var parent: String
        package init(name: String, source: String, ref: String?, path: String, parent: String) {
            self.name = name
            self.source = source
            self.ref = ref
            self.path = path
            self.parent = parent
        }
    }

    /// What was applied and what the watches hold (`ContinuousReconciler.liveView`).
    package typealias LiveView = @Sendable () -> (desired: [ResourceID: PlanEntry], cache: LiveCache?)

    package let target: Target
    package let recorder: DashboardRecorder
    let liveView: LiveView
    package let fieldManager: String
    package let access: DashboardAccess
    /// Starts a sync (the scheduler's `trigger`), for the actions; nil disables them.
    let trigger: (@Sendable (SyncTrigger) -> Void)?

    package init(target: Target, recorder: DashboardRecorder, fieldManager: String, access: DashboardAccess,
                 trigger: (@Sendable (SyncTrigger) -> Void)?, liveView: @escaping LiveView) {
        self.trigger = trigger
        self.target = target
        self.recorder = recorder
        self.fieldManager = fieldManager
        self.access = access
        self.liveView = liveView
    }

    // MARK: Resources

    /// One managed object now.
    package struct ObjectView: Sendable {
        package var id: ResourceID
        /// `healthy`, `progressing`, `degraded`, `missing` or `unknown` (watch not listed yet).
        package var health: String
        package var healthMessage: String?
        /// `synced`, `changed`, `deleted` or `unknown`.
        package var drift: String
    }

    /// Every object the last successful sync applied, with its health and drift judged
    /// from the watch cache, sorted by namespace, kind and name.
    package func objects() -> [ObjectView] {
        let (desired, cache) = liveView()
        let synced = cache?.syncedKinds ?? []
        let detector = DriftDetector(fieldManager: fieldManager)
        var views: [ObjectView] = []
        views.reserveCapacity(desired.count)
        for (id, entry) in desired {
            guard synced.contains(id.groupKind), let cache else {
                views.append(ObjectView(id: id, health: "unknown", healthMessage: "the watch has not listed this kind yet", drift: "unknown"))
                continue
            }
            let live = cache.object(id)
            let drift = entry.desired.flatMap { detector.drift(desired: $0, live: live) } ?? "synced"
            let (health, message) = Self.health(live)
            views.append(ObjectView(id: id, health: health, healthMessage: message, drift: drift))
        }
        views.sort { ($0.id.namespace, $0.id.kind, $0.id.group, $0.id.name) < ($1.id.namespace, $1.id.kind, $1.id.group, $1.id.name) }
        return views
    }

    /// Health from the engine's readiness rules: ready is healthy; a failed Job or a
    /// Deployment past its progress deadline is degraded; anything else pending progresses.
    static func health(_ live: Resource?) -> (String, String?) {
        guard let live else { return ("missing", "not in the cluster") }
        guard let pending = Readiness.pending(live) else { return ("healthy", nil) }
        if Readiness.condition(live, "Failed") == "True" { return ("degraded", pending) }
        for condition in live.value[path: ["status", "conditions"]]?.listValue ?? []
        where condition["type"]?.stringValue == "Progressing" && condition["reason"]?.stringValue == "ProgressDeadlineExceeded" {
            return ("degraded", "progress deadline exceeded: " + pending)
        }
        return ("progressing", pending)
    }

    /// The worst health of all objects (missing, degraded, progressing, unknown, healthy).
    static func overallHealth(_ objects: [ObjectView]) -> String {
        for health in ["missing", "degraded", "progressing", "unknown"] where objects.contains(where: { $0.health == health }) {
            return health
        }
        return "healthy"
    }

    // MARK: Diffs

    /// The diff shown for an object: the live drift when the watch cache holds it and it
    /// differs from what was applied, else the last sync's planned diff. Secret values
    /// are masked by `ObjectDiff`, the code `tether diff` prints with.
    /// - Parameter sync: a sync number, to show that sync's planned diff instead.
    /// - Returns: the unified diff and where it came from (`live` or `sync N`); nil when
    ///   the object is unknown or nothing is kept for it.
    package func diff(of id: ResourceID, sync: Int? = nil) -> (source: String, text: String)? {
        if let sync {
            return recorder.diff(sync: sync, id: id).map { ("sync \(sync)", $0) }
        }
        let (desired, cache) = liveView()
        if let entry = desired[id], let rendered = entry.desired, let cache, cache.syncedKinds.contains(id.groupKind) {
            let live = cache.object(id)
            if DriftDetector(fieldManager: fieldManager).drift(desired: rendered, live: live) != nil {
                return ("live", Self.liveDiff(entry: entry, rendered: rendered, live: live))
            }
        }
        return recorder.lastDiff(of: id).map { ("sync \($0.sync)", $0.diff) }
    }

    /// The live object against the live object with the rendered fields applied (a
    /// strategic merge, as the API server would merge them), through `ObjectDiff`.
    static func liveDiff(entry: PlanEntry, rendered: Resource, live: Resource?) -> String {
        var shown = entry
        shown.live = live
        if let live {
            shown.action = .update
            let schema = PatchSchema.root(apiVersion: rendered.apiVersion, kind: rendered.kind)
            let merged = (try? StrategicMergePatch.apply(rendered.value, to: live.value, schema: schema)) ?? rendered.value
            shown.merged = Resource(unchecked: merged)
        } else {
            shown.action = .create
            shown.merged = rendered
        }
        guard let diff = try? ObjectDiff(entry: shown) else { return "" }
        return DashboardRecorder.cut(diff.unified(), to: 64 * 1024)
    }

    /// The object whose `ResourceID.description` is `text`, among those applied or changed.
    package func resourceID(_ text: String) -> ResourceID? {
        DashboardRecorder.resourceID(text)
    }
}
