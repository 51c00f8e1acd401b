import TetherModel

/// The status the Kubernetes controllers would write for an object once it
/// has "rolled out": every replica created, updated, ready and available,
/// a Job complete, a claim bound, a CRD established.
///
/// Pure: the store calls it with the stored object and writes the result
/// through the status subresource. Timestamps of conditions whose status
/// did not change are kept from the previous status, so a repeated call
/// gives an equal value and the store writes nothing.
enum SimulatedStatus {
    /// Where the answer depends on the rest of the cluster.
    struct Cluster {
        /// How many nodes a DaemonSet runs on.
        var nodes: Int
        /// The time stamped on new conditions, RFC 3339.
        var now: String
    }

    /// The resources it simulates: apps workloads, Jobs and claims (the
    /// switchable controllers), and CRDs (the API server's own).
    static let workloads: Set<GroupResource> = [
        GroupResource(group: "apps", resource: "deployments"), GroupResource(group: "apps", resource: "statefulsets"),
        GroupResource(group: "apps", resource: "daemonsets"), GroupResource(group: "apps", resource: "replicasets"),
        GroupResource(group: "batch", resource: "jobs"), GroupResource(group: "", resource: "persistentvolumeclaims"),
    ]
    static let crds = GroupResource(group: "apiextensions.k8s.io", resource: "customresourcedefinitions")

    /// The status `object` of `resource` should have, or `nil` when the
    /// emulator simulates none for it.
    static func desired(_ object: Value, resource: GroupResource, cluster: Cluster) -> Value? {
        let old = object["status"] ?? .map(OrderedMap())
        switch (resource.group, resource.resource) {
        case ("apps", "deployments"): return deployment(object, old: old, cluster)
        case ("apps", "statefulsets"): return statefulSet(object, old: old)
        case ("apps", "daemonsets"): return daemonSet(object, old: old, cluster)
        case ("apps", "replicasets"): return replicaSet(object, old: old)
        case ("batch", "jobs"): return job(object, old: old, cluster)
        case ("", "persistentvolumeclaims"): return claim(object, old: old)
        case ("apiextensions.k8s.io", "customresourcedefinitions"): return crd(object, old: old, cluster)
        default: return nil
        }
    }

    // MARK: Workloads

    private static func deployment(_ object: Value, old: Value, _ cluster: Cluster) -> Value {
        let replicas = object[path: ["spec", "replicas"]]?.intValue ?? 1
        var status = OrderedMap()
        status["observedGeneration"] = generation(object)
        for key in ["replicas", "updatedReplicas", "readyReplicas", "availableReplicas"] where replicas > 0 {
            status[key] = .int(replicas)
        }
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        let replicaSet = name + "-" + templateHash(object)
        status["conditions"] = .list([
            condition(old, type: "Available", reason: "MinimumReplicasAvailable",
                      message: "Deployment has minimum availability.", updateTime: true, cluster.now),
            condition(old, type: "Progressing", reason: "NewReplicaSetAvailable",
                      message: "ReplicaSet \"\(replicaSet)\" has successfully progressed.", updateTime: true, cluster.now),
        ])
        return .map(status)
    }

    private static func statefulSet(_ object: Value, old: Value) -> Value {
        let replicas = object[path: ["spec", "replicas"]]?.intValue ?? 1
        let revision = (object[path: ["metadata", "name"]]?.stringValue ?? "") + "-" + templateHash(object)
        var status = OrderedMap()
        status["observedGeneration"] = generation(object)
        status["replicas"] = .int(replicas)
        if replicas > 0 {
            status["readyReplicas"] = .int(replicas)
            status["currentReplicas"] = .int(replicas)
            status["updatedReplicas"] = .int(replicas)
        }
        status["currentRevision"] = .string(revision)
        status["updateRevision"] = .string(revision)
        status["collisionCount"] = 0
        status["availableReplicas"] = .int(replicas)
        return .map(status)
    }

    private static func daemonSet(_ object: Value, old: Value, _ cluster: Cluster) -> Value {
        var status = OrderedMap()
        status["currentNumberScheduled"] = .int(cluster.nodes)
        status["numberMisscheduled"] = 0
        status["desiredNumberScheduled"] = .int(cluster.nodes)
        status["numberReady"] = .int(cluster.nodes)
        status["observedGeneration"] = generation(object)
        if cluster.nodes > 0 {
            status["updatedNumberScheduled"] = .int(cluster.nodes)
            status["numberAvailable"] = .int(cluster.nodes)
        }
        return .map(status)
    }

    private static func replicaSet(_ object: Value, old: Value) -> Value {
        let replicas = object[path: ["spec", "replicas"]]?.intValue ?? 1
        var status = OrderedMap()
        status["replicas"] = .int(replicas)
        if replicas > 0 {
            status["fullyLabeledReplicas"] = .int(replicas)
            status["readyReplicas"] = .int(replicas)
            status["availableReplicas"] = .int(replicas)
        }
        status["observedGeneration"] = generation(object)
        return .map(status)
    }

    /// A Job that is not suspended completes: every completion succeeds.
    private static func job(_ object: Value, old: Value, _ cluster: Cluster) -> Value? {
        if object[path: ["spec", "suspend"]]?.boolValue == true { return nil }
        if old[path: ["completionTime"]] != nil { return old }
        let completions = object[path: ["spec", "completions"]]?.intValue ?? 1
        let message = "Reached expected number of succeeded pods"
        var status = OrderedMap()
        status["conditions"] = .list(["SuccessCriteriaMet", "Complete"].map { type in
            var c = OrderedMap()
            c["type"] = .string(type)
            c["status"] = "True"
            c["lastProbeTime"] = .string(cluster.now)
            c["lastTransitionTime"] = .string(cluster.now)
            c["reason"] = "CompletionsReached"
            c["message"] = .string(message)
            return .map(c)
        })
        status["startTime"] = old["startTime"] ?? .string(cluster.now)
        status["completionTime"] = .string(cluster.now)
        status["succeeded"] = .int(completions)
        status["terminating"] = 0
        if object[path: ["spec", "completionMode"]]?.stringValue == "Indexed", completions > 0 {
            status["completedIndexes"] = .string(completions == 1 ? "0" : "0-\(completions - 1)")
        }
        status["uncountedTerminatedPods"] = .map(OrderedMap())
        status["ready"] = 0
        return .map(status)
    }

    /// A claim binds at once, with the capacity it requested.
    private static func claim(_ object: Value, old: Value) -> Value {
        var status = OrderedMap()
        status["phase"] = "Bound"
        if let modes = object[path: ["spec", "accessModes"]] { status["accessModes"] = modes }
        if let storage = object[path: ["spec", "resources", "requests", "storage"]] {
            status["capacity"] = ["storage": storage]
        }
        return .map(status)
    }

    // MARK: CRDs

    /// NamesAccepted and Established, the accepted names and the stored version.
    private static func crd(_ object: Value, old: Value, _ cluster: Cluster) -> Value {
        var status = OrderedMap()
        status["conditions"] = .list([
            condition(old, type: "NamesAccepted", reason: "NoConflicts", message: "no conflicts found",
                      updateTime: false, cluster.now),
            condition(old, type: "Established", reason: "InitialNamesAccepted",
                      message: "the initial names have been accepted", updateTime: false, cluster.now),
        ])
        var names = object[path: ["spec", "names"]]?.mapValue ?? OrderedMap()
        let kind = names["kind"]?.stringValue ?? ""
        if names["singular"] == nil { names["singular"] = .string(kind.lowercased()) }
        if names["listKind"] == nil { names["listKind"] = .string(kind + "List") }
        var accepted = OrderedMap()
        for key in ["plural", "singular", "shortNames", "kind", "listKind", "categories"] {
            if let value = names[key] { accepted[key] = value }
        }
        status["acceptedNames"] = .map(accepted)
        let versions = object[path: ["spec", "versions"]]?.listValue ?? []
        let storage = versions.first { $0["storage"]?.boolValue == true } ?? versions.first
        var stored = old["storedVersions"]?.listValue ?? []
        if let name = storage?["name"], !stored.contains(name) { stored.append(name) }
        status["storedVersions"] = .list(stored)
        return .map(status)
    }

    // MARK: Helpers

    private static func generation(_ object: Value) -> Value {
        .int(object[path: ["metadata", "generation"]]?.intValue ?? 1)
    }

    /// A `True` condition, keeping the old one's timestamps when it was
    /// already `True` with the same reason and message.
    private static func condition(_ old: Value, type: String, reason: String, message: String,
                                  updateTime: Bool, _ now: String) -> Value {
        let previous = old["conditions"]?.listValue?.first { $0["type"]?.stringValue == type }
        let same = previous?["status"]?.stringValue == "True" && previous?["reason"]?.stringValue == reason
            && previous?["message"]?.stringValue == message
        var c = OrderedMap()
        c["type"] = .string(type)
        c["status"] = "True"
        if updateTime { c["lastUpdateTime"] = same ? previous?["lastUpdateTime"] ?? .string(now) : .string(now) }
        c["lastTransitionTime"] = previous?["status"]?.stringValue == "True"
            ? previous?["lastTransitionTime"] ?? .string(now) : .string(now)
        c["reason"] = .string(reason)
        c["message"] = .string(message)
        return .map(c)
    }

    /// A short, stable hash of the pod template, spelled like the
    /// controllers' `pod-template-hash` (FNV-1a, then their safe alphabet).
    static func templateHash(_ object: Value) -> String {
        let bytes = (try? JSONEncoding().bytes(object[path: ["spec", "template"]] ?? .null)) ?? []
        var hash: UInt32 = 2_166_136_261
        for byte in bytes {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String(String(hash).utf8.map { alphabet[Int($0) % alphabet.count] })
    }
}
