import Foundation
import TetherModel

/// The defaults kube-apiserver v1.32 fills in on create and update, for the
/// kinds whose defaults clients commonly read back (Deployment, StatefulSet,
/// DaemonSet, ReplicaSet, Job, Pod templates, Service).
///
/// Only fields that are missing are set; what the client sent is kept.
/// Values follow `pkg/apis/apps/v1/defaults.go` and `pkg/apis/core/v1/defaults.go`.
enum Defaulting {
    static func apply(to object: inout Value, kind: String, group: String) {
        switch (group, kind) {
        case ("apps", "Deployment"):
            setMissing(&object, ["spec", "replicas"], 1)
            setMissing(&object, ["spec", "strategy", "type"], "RollingUpdate")
            if object[path: ["spec", "strategy", "type"]]?.stringValue == "RollingUpdate" {
                setMissing(&object, ["spec", "strategy", "rollingUpdate", "maxUnavailable"], "25%")
                setMissing(&object, ["spec", "strategy", "rollingUpdate", "maxSurge"], "25%")
            }
            setMissing(&object, ["spec", "revisionHistoryLimit"], 10)
            setMissing(&object, ["spec", "progressDeadlineSeconds"], 600)
            podTemplate(&object, ["spec", "template"])
        case ("apps", "StatefulSet"):
            setMissing(&object, ["spec", "replicas"], 1)
            setMissing(&object, ["spec", "podManagementPolicy"], "OrderedReady")
            setMissing(&object, ["spec", "updateStrategy", "type"], "RollingUpdate")
            if object[path: ["spec", "updateStrategy", "type"]]?.stringValue == "RollingUpdate" {
                setMissing(&object, ["spec", "updateStrategy", "rollingUpdate", "partition"], 0)
            }
            setMissing(&object, ["spec", "revisionHistoryLimit"], 10)
            setMissing(&object, ["spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted"], "Retain")
            setMissing(&object, ["spec", "persistentVolumeClaimRetentionPolicy", "whenScaled"], "Retain")
            podTemplate(&object, ["spec", "template"])
        case ("apps", "DaemonSet"):
            setMissing(&object, ["spec", "updateStrategy", "type"], "RollingUpdate")
            if object[path: ["spec", "updateStrategy", "type"]]?.stringValue == "RollingUpdate" {
                setMissing(&object, ["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"], 1)
                setMissing(&object, ["spec", "updateStrategy", "rollingUpdate", "maxSurge"], 0)
            }
            setMissing(&object, ["spec", "revisionHistoryLimit"], 10)
            podTemplate(&object, ["spec", "template"])
        case ("apps", "ReplicaSet"):
            setMissing(&object, ["spec", "replicas"], 1)
            podTemplate(&object, ["spec", "template"])
        case ("batch", "Job"):
            setMissing(&object, ["spec", "parallelism"], 1)
            setMissing(&object, ["spec", "completions"], 1)
            setMissing(&object, ["spec", "backoffLimit"], 6)
            setMissing(&object, ["spec", "completionMode"], "NonIndexed")
            setMissing(&object, ["spec", "suspend"], false)
            setMissing(&object, ["spec", "podReplacementPolicy"], "TerminatedOrFailed")
            podTemplate(&object, ["spec", "template"], restartPolicy: nil)
        case ("", "Pod"):
            podSpec(&object, ["spec"], restartPolicy: "Always")
        case ("", "Service"):
            service(&object)
        case ("", "Secret"):
            secret(&object)
        default:
            break
        }
    }

    private static func podTemplate(_ object: inout Value, _ path: [String], restartPolicy: String? = "Always") {
        guard object[path: path] != nil else { return }
        podSpec(&object, path + ["spec"], restartPolicy: restartPolicy)
    }

    private static func podSpec(_ object: inout Value, _ path: [String], restartPolicy: String?) {
        guard case .map? = object[path: path] else { return }
        if let restartPolicy { setMissing(&object, path + ["restartPolicy"], .string(restartPolicy)) }
        setMissing(&object, path + ["terminationGracePeriodSeconds"], 30)
        setMissing(&object, path + ["dnsPolicy"], "ClusterFirst")
        setMissing(&object, path + ["securityContext"], .map(OrderedMap()))
        setMissing(&object, path + ["schedulerName"], "default-scheduler")
        for field in ["initContainers", "containers"] {
            guard case .list(var containers)? = object[path: path + [field]] else { continue }
            for index in containers.indices { container(&containers[index]) }
            object[at: path + [field]] = .list(containers)
        }
    }

    private static func container(_ container: inout Value) {
        setMissing(&container, ["terminationMessagePath"], "/dev/termination-log")
        setMissing(&container, ["terminationMessagePolicy"], "File")
        let image = container["image"]?.stringValue ?? ""
        setMissing(&container, ["imagePullPolicy"], .string(pullPolicy(for: image)))
        setMissing(&container, ["resources"], .map(OrderedMap()))
        if case .list(var ports)? = container["ports"] {
            for index in ports.indices { setMissing(&ports[index], ["protocol"], "TCP") }
            container["ports"] = .list(ports)
        }
    }

    /// `Always` for `:latest` or an untagged image, else `IfNotPresent`
    /// (a digest counts as a tag).
    static func pullPolicy(for image: String) -> String {
        if image.contains("@") { return "IfNotPresent" }
        let lastComponent = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = lastComponent.lastIndex(of: ":") else { return "Always" }
        return lastComponent[lastComponent.index(after: colon)...] == "latest" ? "Always" : "IfNotPresent"
    }

    private static func service(_ object: inout Value) {
        setMissing(&object, ["spec", "type"], "ClusterIP")
        let type = object[path: ["spec", "type"]]?.stringValue ?? "ClusterIP"
        guard type != "ExternalName" else { return }
        setMissing(&object, ["spec", "sessionAffinity"], "None")
        setMissing(&object, ["spec", "internalTrafficPolicy"], "Cluster")
        if type == "NodePort" || type == "LoadBalancer" {
            setMissing(&object, ["spec", "externalTrafficPolicy"], "Cluster")
        }
        if type == "LoadBalancer" { setMissing(&object, ["spec", "allocateLoadBalancerNodePorts"], true) }
        if case .list(var ports)? = object[path: ["spec", "ports"]] {
            for index in ports.indices {
                setMissing(&ports[index], ["protocol"], "TCP")
                if ports[index]["targetPort"] == nil, let port = ports[index]["port"] { ports[index]["targetPort"] = port }
            }
            object[at: ["spec", "ports"]] = .list(ports)
        }
        setMissing(&object, ["status", "loadBalancer"], .map(OrderedMap()))
    }

    /// Sets `path` to `value` when it is missing (or null).
    /// A Secret as the API server stores it: `stringData` (write-only) merged into `data`
    /// as base64, winning over a `data` key of the same name, then dropped; `type`
    /// defaulted to `Opaque` (`Convert_v1_Secret_To_core_Secret`, `SetDefaults_Secret`).
    private static func secret(_ object: inout Value) {
        if let strings = object["stringData"]?.mapValue {
            var data = object["data"]?.mapValue ?? OrderedMap()
            for entry in strings {
                guard let text = entry.value.stringValue else { continue }
                data[entry.key] = .string(Data(text.utf8).base64EncodedString())
            }
            object["data"] = .map(data)
            object.remove("stringData")
        }
        setMissing(&object, ["type"], "Opaque")
    }

    private static func setMissing(_ object: inout Value, _ path: [String], _ value: Value) {
        if let current = object[path: path], !current.isNull { return }
        object[at: path] = value
    }
}
