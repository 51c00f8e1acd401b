import TetherModel

/// The columns kube-apiserver prints for built-in kinds
/// (pkg/printers/internalversion/printers.go, `AddHandlers`), Name first.
/// Kinds without a printer get the default convertor's Name and Created At.
enum TablePrinters {
    static func columns(kind: String, group: String) -> [TableColumn] {
        let rest = (group == "events.k8s.io" ? nil : printers[kind]) ?? [.createdAt]
        return [.name] + rest
    }

    private static let containersColumn = TableColumn.text("Containers", "Names of each container in the template.", priority: 1) {
        names($0[path: ["spec", "template", "spec", "containers"]], "name")
    }
    private static let imagesColumn = TableColumn.text("Images", "Images referenced by each container in the template.", priority: 1) {
        names($0[path: ["spec", "template", "spec", "containers"]], "image")
    }
    private static let selectorColumn = TableColumn.text("Selector", "The label selector.", priority: 1) {
        selector($0[path: ["spec", "selector"]])
    }
    private static func int(_ object: Value, _ path: [String]) -> Int { object[path: path]?.intValue ?? 0 }

    static func names(_ list: Value?, _ key: String) -> String {
        (list?.listValue ?? []).compactMap { $0[key]?.stringValue }.joined(separator: ",")
    }

    /// A label selector as `kubectl` writes one (`app=web,tier in (a,b)`), `<none>` when empty.
    static func selector(_ value: Value?) -> String {
        guard let value else { return "<none>" }
        var parts: [String] = []
        let labels = value["matchLabels"]?.mapValue ?? (value["matchExpressions"] == nil ? value.mapValue : nil) ?? OrderedMap()
        for entry in labels.entries.sorted(by: { $0.key < $1.key }) { parts.append("\(entry.key)=\(entry.value.scalarText ?? "")") }
        for expression in value["matchExpressions"]?.listValue ?? [] {
            let key = expression["key"]?.stringValue ?? ""
            let values = (expression["values"]?.listValue ?? []).compactMap(\.stringValue).joined(separator: ",")
            switch expression["operator"]?.stringValue {
            case "In": parts.append("\(key) in (\(values))")
            case "NotIn": parts.append("\(key) notin (\(values))")
            case "Exists": parts.append(key)
            case "DoesNotExist": parts.append("!" + key)
            default: break
            }
        }
        return parts.isEmpty ? "<none>" : parts.joined(separator: ",")
    }

    private static func servicePorts(_ object: Value) -> String {
        let ports = (object[path: ["spec", "ports"]]?.listValue ?? []).map { port -> String in
            let number = port["port"]?.scalarText ?? ""
            let node = port["nodePort"]?.scalarText.map { ":" + $0 } ?? ""
            return number + node + "/" + (port["protocol"]?.stringValue ?? "TCP")
        }
        return ports.isEmpty ? "<none>" : ports.joined(separator: ",")
    }

    private static func podStatus(_ pod: Value) -> String {
        if pod[path: ["metadata", "deletionTimestamp"]] != nil { return "Terminating" }
        for status in pod[path: ["status", "containerStatuses"]]?.listValue ?? [] {
            if let reason = status[path: ["state", "waiting", "reason"]]?.stringValue { return reason }
            if let reason = status[path: ["state", "terminated", "reason"]]?.stringValue { return reason }
        }
        return pod[path: ["status", "reason"]]?.stringValue ?? pod[path: ["status", "phase"]]?.stringValue ?? "Pending"
    }

    private static func jobStatus(_ job: Value) -> String {
        for condition in job[path: ["status", "conditions"]]?.listValue ?? [] where condition["status"]?.stringValue == "True" {
            switch condition["type"]?.stringValue {
            case "Complete": return "Complete"
            case "Failed": return "Failed"
            case "Suspended": return "Suspended"
            case "FailureTarget": return "FailureTarget"
            case "SuccessCriteriaMet": return "SuccessCriteriaMet"
            default: continue
            }
        }
        return "Running"
    }

    static let printers: [String: [TableColumn]] = [
        "Pod": [
            .text("Ready", "The aggregate readiness state of this pod for accepting traffic.") { pod in
                let statuses = pod[path: ["status", "containerStatuses"]]?.listValue ?? []
                let total = max(statuses.count, pod[path: ["spec", "containers"]]?.listValue?.count ?? 0)
                return "\(statuses.filter { $0["ready"]?.boolValue == true }.count)/\(total)"
            },
            .text("Status", "The aggregate status of the containers in this pod.", podStatus),
            .text("Restarts", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.") {
                String((($0[path: ["status", "containerStatuses"]]?.listValue) ?? []).reduce(0) { $0 + ($1["restartCount"]?.intValue ?? 0) })
            },
            .age,
            .string("IP", "The IP address assigned to this pod.", priority: 1, ["status", "podIP"]),
            .string("Node", "The node the pod is assigned to.", priority: 1, ["spec", "nodeName"]),
            .string("Nominated Node", "The node the pod is nominated to.", priority: 1, ["status", "nominatedNodeName"]),
            .text("Readiness Gates", "The pod's readiness gates.", priority: 1) { pod in
                let gates = pod[path: ["spec", "readinessGates"]]?.listValue ?? []
                return gates.isEmpty ? "<none>" : "0/\(gates.count)"
            },
        ],
        "Deployment": [
            .text("Ready", "Number of the pod with ready state.") { "\(int($0, ["status", "readyReplicas"]))/\($0[path: ["spec", "replicas"]]?.intValue ?? 1)" },
            .integer("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec.") { int($0, ["status", "updatedReplicas"]) },
            .integer("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.") { int($0, ["status", "availableReplicas"]) },
            .age, containersColumn, imagesColumn, selectorColumn,
        ],
        "ReplicaSet": [
            .integer("Desired", "Number of desired pods.") { $0[path: ["spec", "replicas"]]?.intValue ?? 1 },
            .integer("Current", "Number of actual pods.") { int($0, ["status", "replicas"]) },
            .integer("Ready", "Number of ready pods.") { int($0, ["status", "readyReplicas"]) },
            .age, containersColumn, imagesColumn, selectorColumn,
        ],
        "ReplicationController": [
            .integer("Desired", "Number of desired pods.") { $0[path: ["spec", "replicas"]]?.intValue ?? 1 },
            .integer("Current", "Number of actual pods.") { int($0, ["status", "replicas"]) },
            .integer("Ready", "Number of ready pods.") { int($0, ["status", "readyReplicas"]) },
            .age, containersColumn, imagesColumn, selectorColumn,
        ],
        "StatefulSet": [
            .text("Ready", "Number of the pod with ready state.") { "\(int($0, ["status", "readyReplicas"]))/\($0[path: ["spec", "replicas"]]?.intValue ?? 1)" },
            .age, containersColumn, imagesColumn,
        ],
        "DaemonSet": [
            .integer("Desired", "The desired number of nodes that should be running the daemon pod.") { int($0, ["status", "desiredNumberScheduled"]) },
            .integer("Current", "The number of nodes that are running at least 1 daemon pod.") { int($0, ["status", "currentNumberScheduled"]) },
            .integer("Ready", "The number of nodes that should be running the daemon pod and have one or more running and ready.") { int($0, ["status", "numberReady"]) },
            .integer("Up-to-date", "The total number of nodes that are running updated daemon pod.") { int($0, ["status", "updatedNumberScheduled"]) },
            .integer("Available", "The number of nodes that should be running the daemon pod and have one or more available.") { int($0, ["status", "numberAvailable"]) },
            .text("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node.") {
                let map = $0[path: ["spec", "template", "spec", "nodeSelector"]]?.mapValue ?? OrderedMap()
                return map.isEmpty ? "<none>" : map.entries.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.scalarText ?? "")" }.joined(separator: ",")
            },
            .age, containersColumn, imagesColumn, selectorColumn,
        ],
        "Service": [
            .string("Type", "The type of the service.", ["spec", "type"]),
            .text("Cluster-IP", "The cluster IP of the service.") { $0[path: ["spec", "clusterIP"]]?.stringValue ?? "<none>" },
            .text("External-IP", "The external IP of the service.") { svc in
                let ingress = (svc[path: ["status", "loadBalancer", "ingress"]]?.listValue ?? []).compactMap { $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue }
                let external = (svc[path: ["spec", "externalIPs"]]?.listValue ?? []).compactMap(\.stringValue)
                if svc[path: ["spec", "type"]]?.stringValue == "ExternalName" { return svc[path: ["spec", "externalName"]]?.stringValue ?? "<none>" }
                if svc[path: ["spec", "type"]]?.stringValue == "LoadBalancer", ingress.isEmpty, external.isEmpty { return "<pending>" }
                let all = ingress + external
                return all.isEmpty ? "<none>" : all.joined(separator: ",")
            },
            .text("Port(s)", "The ports of the service.", servicePorts),
            .age,
            .text("Selector", "The service's label selector.", priority: 1) { selector($0[path: ["spec", "selector"]]) },
        ],
        "ConfigMap": [
            .integer("Data", "Number of keys in the config map.") {
                ($0["data"]?.mapValue?.count ?? 0) + ($0["binaryData"]?.mapValue?.count ?? 0)
            },
            .age,
        ],
        "Secret": [
            .string("Type", "The type of the secret.", ["type"]),
            .integer("Data", "Number of keys in the secret.") { $0["data"]?.mapValue?.count ?? 0 },
            .age,
        ],
        "Namespace": [
            .text("Status", "The status of the namespace.") { $0[path: ["status", "phase"]]?.stringValue ?? "Active" },
            .age,
        ],
        "ServiceAccount": [
            .integer("Secrets", "Number of secrets listed on the service account.") { $0["secrets"]?.listValue?.count ?? 0 },
            .age,
        ],
        "Job": [
            .text("Status", "Status of the job.", jobStatus),
            .text("Completions", "The completion status of the job.") {
                let succeeded = int($0, ["status", "succeeded"])
                if let completions = $0[path: ["spec", "completions"]]?.intValue { return "\(succeeded)/\(completions)" }
                return "\(succeeded)/1 of \($0[path: ["spec", "parallelism"]]?.intValue ?? 1)"
            },
            .text("Duration", "Time required to complete the job.") { _ in "" },
            .age, containersColumn, imagesColumn, selectorColumn,
        ],
        "CronJob": [
            .string("Schedule", "The schedule for running the job.", ["spec", "schedule"]),
            .string("Timezone", "The time zone of the schedule.", ["spec", "timeZone"]),
            .text("Suspend", "Whether the cron job is suspended.") { $0[path: ["spec", "suspend"]]?.boolValue == true ? "True" : "False" },
            .integer("Active", "Number of currently running jobs.") { $0[path: ["status", "active"]]?.listValue?.count ?? 0 },
            TableColumn(name: "Last Schedule", type: "string", description: "When the job was last scheduled.") { object, now in
                .string(object[path: ["status", "lastScheduleTime"]] == nil ? "<none>" : TableColumn.age(object[path: ["status", "lastScheduleTime"]], now: now))
            },
            .age,
            .text("Containers", "Names of each container in the template.", priority: 1) {
                names($0[path: ["spec", "jobTemplate", "spec", "template", "spec", "containers"]], "name")
            },
            .text("Images", "Images referenced by each container in the template.", priority: 1) {
                names($0[path: ["spec", "jobTemplate", "spec", "template", "spec", "containers"]], "image")
            },
            .text("Selector", "The label selector.", priority: 1) { selector($0[path: ["spec", "jobTemplate", "spec", "selector"]]) },
        ],
        "Ingress": [
            .text("Class", "The name of the IngressClass.") { $0[path: ["spec", "ingressClassName"]]?.stringValue ?? "<none>" },
            .text("Hosts", "Hosts that incoming requests are matched against.") {
                let hosts = ($0[path: ["spec", "rules"]]?.listValue ?? []).compactMap { $0["host"]?.stringValue }
                return hosts.isEmpty ? "*" : hosts.joined(separator: ",")
            },
            .text("Address", "Address is a list containing ingress points for the load-balancer.") {
                ($0[path: ["status", "loadBalancer", "ingress"]]?.listValue ?? []).compactMap { $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue }.joined(separator: ",")
            },
            .text("Ports", "Ports of TLS configurations that open.") { $0[path: ["spec", "tls"]] == nil ? "80" : "80, 443" },
            .age,
        ],
        "PersistentVolumeClaim": [
            .text("Status", "The phase of the claim.") { $0[path: ["status", "phase"]]?.stringValue ?? "Pending" },
            .string("Volume", "The name of the bound volume.", ["spec", "volumeName"]),
            .text("Capacity", "The actual resources of the volume.") { $0[path: ["status", "capacity", "storage"]]?.scalarText ?? "" },
            .text("Access Modes", "The access modes of the claim.") { accessModes($0[path: ["status", "accessModes"]]) },
            .string("StorageClass", "The storage class of the claim.", ["spec", "storageClassName"]),
            .string("VolumeAttributesClass", "The volume attributes class of the claim.", ["spec", "volumeAttributesClassName"]),
            .age,
            .string("VolumeMode", "The volume mode of the claim.", priority: 1, ["spec", "volumeMode"]),
        ],
        "PersistentVolume": [
            .text("Capacity", "The capacity of the volume.") { $0[path: ["spec", "capacity", "storage"]]?.scalarText ?? "" },
            .text("Access Modes", "The access modes of the volume.") { accessModes($0[path: ["spec", "accessModes"]]) },
            .text("Reclaim Policy", "What happens to the volume when released from its claim.") { $0[path: ["spec", "persistentVolumeReclaimPolicy"]]?.stringValue ?? "Retain" },
            .text("Status", "The phase of the volume.") { $0[path: ["status", "phase"]]?.stringValue ?? "Pending" },
            .text("Claim", "The claim bound to the volume.") { pv in
                guard let ref = pv[path: ["spec", "claimRef"]] else { return "" }
                return "\(ref["namespace"]?.stringValue ?? "")/\(ref["name"]?.stringValue ?? "")"
            },
            .text("StorageClass", "The storage class of the volume.") { $0[path: ["spec", "storageClassName"]]?.stringValue ?? "" },
            .string("VolumeAttributesClass", "The volume attributes class.", ["spec", "volumeAttributesClassName"]),
            .text("Reason", "Why the volume is in this phase.") { $0[path: ["status", "reason"]]?.stringValue ?? "" },
            .age,
            .string("VolumeMode", "The volume mode.", priority: 1, ["spec", "volumeMode"]),
        ],
        "Node": [
            .text("Status", "The status of the node.") { node in
                let ready = (node[path: ["status", "conditions"]]?.listValue ?? []).first { $0["type"]?.stringValue == "Ready" }
                let text = ready?["status"]?.stringValue == "True" ? "Ready" : "NotReady"
                return node[path: ["spec", "unschedulable"]]?.boolValue == true ? text + ",SchedulingDisabled" : text
            },
            .text("Roles", "The roles of the node.") { node in
                let roles = (node[path: ["metadata", "labels"]]?.mapValue?.keys ?? [])
                    .filter { $0.hasPrefix("node-role.kubernetes.io/") }.map { String($0.dropFirst("node-role.kubernetes.io/".count)) }
                return roles.isEmpty ? "<none>" : roles.sorted().joined(separator: ",")
            },
            .age,
            .string("Version", "Kubelet Version reported by the node.", ["status", "nodeInfo", "kubeletVersion"]),
        ],
        "Event": [
            TableColumn(name: "Last Seen", type: "string", description: "Time since the event was last seen.") { event, now in
                .string(TableColumn.age(event["lastTimestamp"] ?? event["eventTime"], now: now))
            },
            .string("Type", "Type of this event (Normal, Warning).", ["type"]),
            .string("Reason", "Reason is why the action was taken.", ["reason"]),
            .text("Object", "The object this event is about.") {
                "\(($0[path: ["involvedObject", "kind"]]?.stringValue ?? "").lowercased())/\($0[path: ["involvedObject", "name"]]?.stringValue ?? "")"
            },
            .text("Message", "A human-readable description of the status of this operation.") { $0["message"]?.stringValue ?? "" },
        ],
        "Role": [.createdAt],
        "ClusterRole": [.createdAt],
        "RoleBinding": roleBinding,
        "ClusterRoleBinding": roleBinding,
        "Endpoints": [
            .text("Endpoints", "Endpoints of the service.") { ep in
                var addresses: [String] = []
                for subset in ep["subsets"]?.listValue ?? [] {
                    let ports = (subset["ports"]?.listValue ?? []).compactMap { $0["port"]?.scalarText }
                    for address in subset["addresses"]?.listValue ?? [] {
                        let ip = address["ip"]?.stringValue ?? ""
                        addresses += ports.isEmpty ? [ip] : ports.map { "\(ip):\($0)" }
                    }
                }
                return addresses.isEmpty ? "<none>" : addresses.joined(separator: ",")
            },
            .age,
        ],
        "StorageClass": [
            .string("Provisioner", "The provisioner of the class.", ["provisioner"]),
            .text("ReclaimPolicy", "What happens to volumes of the class when released.") { $0["reclaimPolicy"]?.stringValue ?? "Delete" },
            .text("VolumeBindingMode", "When volumes are bound.") { $0["volumeBindingMode"]?.stringValue ?? "Immediate" },
            .text("AllowVolumeExpansion", "Whether volumes can be expanded.") { $0["allowVolumeExpansion"]?.boolValue == true ? "true" : "false" },
            .age,
        ],
        "PriorityClass": [
            .integer("Value", "The priority value.") { $0["value"]?.intValue ?? 0 },
            .text("Global-Default", "Whether this is the default class.") { $0["globalDefault"]?.boolValue == true ? "true" : "false" },
            .age,
            .text("PreemptionPolicy", "The preemption policy.") { $0["preemptionPolicy"]?.stringValue ?? "PreemptLowerPriority" },
        ],
        "CustomResourceDefinition": [.createdAt],
        "Lease": [
            .string("Holder", "The holder of the lease.", ["spec", "holderIdentity"]),
            .age,
        ],
    ]

    private static func accessModes(_ value: Value?) -> String {
        let short = ["ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX", "ReadWriteOncePod": "RWOP"]
        return (value?.listValue ?? []).compactMap { $0.stringValue.map { short[$0] ?? $0 } }.joined(separator: ",")
    }

    private static let roleBinding: [TableColumn] = [
        .text("Role", "The role the binding grants.") { "\($0[path: ["roleRef", "kind"]]?.stringValue ?? "")/\($0[path: ["roleRef", "name"]]?.stringValue ?? "")" },
        .age,
        .text("Users", "Users in the binding.", priority: 1) { subjects($0, "User") },
        .text("Groups", "Groups in the binding.", priority: 1) { subjects($0, "Group") },
        .text("ServiceAccounts", "Service accounts in the binding.", priority: 1) { binding in
            (binding["subjects"]?.listValue ?? []).filter { $0["kind"]?.stringValue == "ServiceAccount" }
                .map { "\($0["namespace"]?.stringValue ?? "")/\($0["name"]?.stringValue ?? "")" }.joined(separator: ", ")
        },
    ]

    private static func subjects(_ binding: Value, _ kind: String) -> String {
        (binding["subjects"]?.listValue ?? []).filter { $0["kind"]?.stringValue == kind }.compactMap { $0["name"]?.stringValue }
            .joined(separator: ", ")
    }
}
