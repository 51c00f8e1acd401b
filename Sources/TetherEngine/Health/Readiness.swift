package import TetherModel

/// Whether an applied object is ready, judged the way `kubectl rollout status` and
/// `kubectl wait` do.
package enum Readiness {
    /// The status of condition `type`, e.g. "True".
    package static func condition(_ object: Resource, _ type: String) -> String? {
        for condition in object.value[path: ["status", "conditions"]]?.listValue ?? [] where condition["type"]?.stringValue == type {
            return condition["status"]?.stringValue
        }
        return nil
    }

    /// nil when ready, otherwise what is still missing.
    package static func pending(_ object: Resource) -> String? {
        let value = object.value
        let generation = value[path: ["metadata", "generation"]]?.intValue
        let observed = value[path: ["status", "observedGeneration"]]?.intValue
        func int(_ path: [String]) -> Int { value[path: path]?.intValue ?? 0 }
        switch (object.gvk.group, object.kind) {
        case ("apps", "Deployment"):
            if let generation, observed ?? -1 < generation { return "generation \(generation) not observed yet" }
            let wanted = value[path: ["spec", "replicas"]]?.intValue ?? 1
            if int(["status", "updatedReplicas"]) < wanted { return "\(int(["status", "updatedReplicas"])) of \(wanted) replicas updated" }
            if int(["status", "availableReplicas"]) < wanted { return "\(int(["status", "availableReplicas"])) of \(wanted) replicas available" }
            return nil
        case ("apps", "StatefulSet"):
            if let generation, observed ?? -1 < generation { return "generation \(generation) not observed yet" }
            let wanted = value[path: ["spec", "replicas"]]?.intValue ?? 1
            if int(["status", "readyReplicas"]) < wanted { return "\(int(["status", "readyReplicas"])) of \(wanted) replicas ready" }
            if let current = value[path: ["status", "currentRevision"]]?.stringValue, let update = value[path: ["status", "updateRevision"]]?.stringValue,
               current != update { return "rolling out revision \(update)" }
            return nil
        case ("apps", "DaemonSet"):
            if let generation, observed ?? -1 < generation { return "generation \(generation) not observed yet" }
            let desired = int(["status", "desiredNumberScheduled"])
            if int(["status", "updatedNumberScheduled"]) < desired || int(["status", "numberAvailable"]) < desired {
                return "\(int(["status", "numberAvailable"])) of \(desired) pods available"
            }
            return nil
        case ("batch", "Job"):
            if condition(object, "Failed") == "True" { return "the Job failed" }
            return condition(object, "Complete") == "True" ? nil : "not complete"
        case ("apiextensions.k8s.io", "CustomResourceDefinition"):
            return condition(object, "Established") == "True" ? nil : "not Established"
        case ("", "PersistentVolumeClaim"):
            let phase = value[path: ["status", "phase"]]?.stringValue ?? "Pending"
            return phase == "Bound" ? nil : "phase \(phase), not Bound"
        default:
            if let generation, let observed, observed < generation { return "generation \(generation) not observed yet" }
            return nil
        }
    }
}
