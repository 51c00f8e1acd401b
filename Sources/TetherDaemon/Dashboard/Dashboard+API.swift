import Foundation
package import TetherModel
import TetherGit

/// The JSON documents of `/api/v1` (docs/dashboard.md describes each field). The page's
/// tables are filled from the same documents, by the server and by the page's script.
extension Dashboard {
    /// `/api/v1/targets`.
    package func targetsDocument() -> Value {
        ["apiVersion": "v1", "items": [summaryDocument()]]
    }

    /// `/api/v1/targets/NAME`: source, revision, sync state, health, last sync, counts.
    package func summaryDocument(objects: [ObjectView]? = nil) -> Value {
        let objects = objects ?? self.objects()
        let history = recorder.history
        let running = recorder.running
        var map = OrderedMap()
        map["name"] = .string(target.name)
        map["url"] = .string(pagePath)
        map["source"] = .string(target.source)
        map["ref"] = target.ref.map { .string($0) } ?? .null
        map["path"] = .string(target.path)
        map["parent"] = .string(target.parent)
        let revision = recorder.appliedRevision
        map["revision"] = .string(revision?.label ?? history.first(where: \.succeeded)?.revisionSHA ?? "")
        map["revisionShort"] = .string(String((revision?.sha ?? history.first(where: \.succeeded)?.revisionSHA ?? "").prefix(8))
                                       + (revision?.isDirty == true ? "-dirty" : ""))
        // A directory source with uncommitted edits: the daemon follows commits only.
        map["dirty"] = .bool(revision?.isDirty ?? false)
        map["author"] = .string(revision?.author ?? "")
        map["message"] = .string(revision?.subject ?? "")
        map["committedAt"] = .string(revision.map { DaemonStatus.timestamp($0.date) } ?? "")
        let drifted = objects.filter { $0.drift == "changed" || $0.drift == "deleted" }.count
        let (state, error) = syncState(history: history, running: running, drifted: drifted)
        map["syncState"] = .string(state)
        map["syncError"] = .string(error ?? "")
        map["health"] = .string(objects.isEmpty ? "unknown" : Self.overallHealth(objects))
        map["syncing"] = .bool(running != nil)
        map["currentTrigger"] = .string(running?.trigger ?? "")
        let last = history.first
        map["lastSyncAt"] = .string(last.map { DaemonStatus.timestamp($0.startedAt.addingTimeInterval(Self.seconds($0.duration))) } ?? "")
        map["lastSyncDuration"] = .string(last.map { Self.durationText($0.duration) } ?? "")
        map["lastSyncTrigger"] = .string(last?.trigger ?? "")
        map["lastCheckedAt"] = .string(recorder.lastChecked.map(DaemonStatus.timestamp) ?? "")
        let counts = history.first(where: \.succeeded)?.counts ?? [:]
        for (key, state) in [("created", "created"), ("updated", "configured"), ("pruned", "pruned"), ("unchanged", "unchanged")] {
            map[key] = .int(counts[state] ?? 0)
        }
        map["objects"] = .int(objects.count)
        map["outOfSync"] = .int(drifted)
        let drift = recorder.driftEvents
        map["driftCorrected"] = .int(drift.filter { $0.state == .corrected }.count)
        map["driftOpen"] = .int(drift.filter { $0.state == .correcting || $0.state == .reported }.count)
        map["sequence"] = .int(recorder.sequence)
        return .map(map)
    }

    /// synced / out of sync / syncing / failed (with the error) / unknown (no sync yet).
    func syncState(history: [DashboardRecorder.SyncEntry], running: DashboardRecorder.Running?, drifted: Int) -> (String, String?) {
        if running != nil { return ("syncing", nil) }
        guard let last = history.first else { return (recorder.lastChecked == nil ? "unknown" : "synced", nil) }
        if let failure = last.failure { return ("failed", failure) }
        return drifted > 0 ? ("out of sync", nil) : ("synced", nil)
    }

    /// `/api/v1/targets/NAME/resources`: namespace → kind → object, flattened in that order.
    package func resourcesDocument(objects: [ObjectView]? = nil) -> Value {
        let items: [Value] = (objects ?? self.objects()).map { object in
            var map = OrderedMap()
            map["id"] = .string(object.id.description)
            map["namespace"] = .string(object.id.namespace.isEmpty ? "(cluster)" : object.id.namespace)
            map["kind"] = .string(object.id.group.isEmpty ? object.id.kind : object.id.kind + "." + object.id.group)
            map["name"] = .string(object.id.name)
            map["health"] = .string(object.health)
            map["healthMessage"] = .string(object.healthMessage ?? "")
            map["drift"] = .string(object.drift)
            map["diffURL"] = .string(diffPath(object.id))
            return .map(map)
        }
        return ["apiVersion": "v1", "items": .list(items)]
    }

    /// `/api/v1/targets/NAME/history`: the last syncs, newest first.
    package func historyDocument() -> Value {
        let items: [Value] = recorder.history.map { entry in
            var map = OrderedMap()
            map["number"] = .int(entry.number)
            map["startedAt"] = .string(DaemonStatus.timestamp(entry.startedAt))
            map["duration"] = .string(Self.durationText(entry.duration))
            map["durationSeconds"] = .float(Self.seconds(entry.duration))
            map["trigger"] = .string(entry.trigger)
            map["revision"] = .string(entry.revisionSHA ?? "")
            map["revisionShort"] = .string(String((entry.revisionSHA ?? "").prefix(8)))
            map["author"] = .string(entry.revision?.author ?? "")
            map["message"] = .string(entry.revision?.subject ?? "")
            map["result"] = .string(entry.succeeded ? "succeeded" : "failed")
            map["error"] = .string(entry.failure ?? "")
            for (key, state) in [("created", "created"), ("updated", "configured"), ("pruned", "pruned"), ("unchanged", "unchanged"), ("failed", "failed")] {
                map[key] = .int(entry.counts[state] ?? 0)
            }
            map["changesText"] = .string(entry.changes.isEmpty ? (entry.succeeded ? "no changes" : "")
                : entry.changes.prefix(5).map { "\($0.state) \($0.id)" }.joined(separator: ", ")
                    + (entry.changes.count > 5 ? " and \(entry.changes.count - 5) more" : ""))
            map["changes"] = .list(entry.changes.map { change in
                var item = OrderedMap()
                item["id"] = .string(change.id.description)
                item["state"] = .string(change.state)
                if let message = change.message { item["message"] = .string(message) }
                item["diffURL"] = change.diff == nil ? .null : .string(diffPath(change.id, sync: entry.number))
                return .map(item)
            })
            return .map(map)
        }
        return ["apiVersion": "v1", "items": .list(items)]
    }

    /// `/api/v1/targets/NAME/drift`: drift the watches saw, newest first.
    package func driftDocument() -> Value {
        let items: [Value] = recorder.driftEvents.map { event in
            var map = OrderedMap()
            map["number"] = .int(event.number)
            map["object"] = .string(event.id.description)
            map["what"] = .string(event.what)
            map["state"] = .string(event.state.rawValue)
            map["detectedAt"] = .string(DaemonStatus.timestamp(event.detectedAt))
            map["correctedAt"] = .string(event.correctedAt.map(DaemonStatus.timestamp) ?? "")
            map["failure"] = .string(event.failure ?? "")
            map["diffURL"] = .string(diffPath(event.id))
            return .map(map)
        }
        return ["apiVersion": "v1", "items": .list(items)]
    }

    /// `/api/v1/targets/NAME/diff/ID`; nil when nothing is known for the object.
    package func diffDocument(_ id: ResourceID, sync: Int?) -> Value? {
        guard let (source, text) = diff(of: id, sync: sync) else { return nil }
        return ["object": .string(id.description), "source": .string(source), "diff": .string(text)]
    }

    // MARK: Paths

    var pagePath: String { "/targets/" + Self.pathComponent(target.name) }
    var apiPath: String { "/api/v1/targets/" + Self.pathComponent(target.name) }

    /// The page of one object's diff.
    func diffPath(_ id: ResourceID, sync: Int? = nil) -> String {
        let parts = id.description.split(separator: "/", omittingEmptySubsequences: false).map { Self.pathComponent(String($0)) }
        return pagePath + "/diff/" + parts.joined(separator: "/") + (sync.map { "?sync=\($0)" } ?? "")
    }

    static func pathComponent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? text
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func durationText(_ duration: Duration) -> String {
        let seconds = seconds(duration)
        return seconds < 1 ? "\(Int((seconds * 1000).rounded())) ms" : String(format: "%.1f s", seconds)
    }
}
