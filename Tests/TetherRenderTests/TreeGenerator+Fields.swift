/// The fields issue 13 added, mixed into ``TreeGenerator``'s trees: builtin
/// plugin configurations of every kind (inline, files, a directory of them),
/// `generators`, `configurations` with name references for a CRD,
/// `openapi` with a merge key, `buildMetadata`, `imageTags`, legacy field
/// spellings, replacement options, StatefulSets and CronJobs, non-string
/// annotations, merge lists whose elements lack keys, and Helm fields (which
/// both refuse).
extension TreeGenerator {
    /// A custom resource whose `parts` list merges by `name` (through the
    /// overlay's `openapi` schema) and whose `settingsRef` names the
    /// settings ConfigMap (through a `configurations` name reference).
    static let widgetSchema = """
        {"definitions": {"com.example.v1.Widget": {"type": "object", "x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v1", "kind": "Widget"}],
         "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object"},
          "spec": {"type": "object", "properties": {"parts": {"type": "array", "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge",
           "items": {"type": "object", "properties": {"name": {"type": "string"}, "size": {"type": "integer"}}}}}}}}}}

        """

    mutating func widget() -> String {
        var text = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: gadget\n"
        if rng.chance(50) { text += "  annotations:\n    mode: 0755\n    ratio: 1.0\n    empty: ~\n" }
        text += "spec:\n  settingsRef: settings\n  parts:\n  - name: a\n    size: \(rng.int(5))\n  - name: b\n    size: 2\n"
        return text
    }

    mutating func statefulSet(_ name: String) -> String {
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: \(name)-db
        spec:
          serviceName: \(name)
          selector:
            matchLabels:
              app: \(name)-db
          template:
            metadata:
              labels:
                app: \(name)-db
            spec:
              containers:
              - name: db
                image: \(rng.pick(Self.images))
                ports:
                - containerPort: 5432
                  protocol: TCP
                - containerPort: 9187
                volumeMounts:
                - name: data
                  mountPath: /data
          volumeClaimTemplates:
          - metadata:
              name: data
            spec:
              accessModes: [ReadWriteOnce]
              resources:
                requests:
                  storage: 1Gi

        """
    }

    mutating func cronJob(_ name: String) -> String {
        """
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: \(name)-cron
        spec:
          schedule: "*/5 * * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: tick
                    image: \(rng.pick(Self.images)):1.\(rng.int(9))
                    envFrom:
                    - configMapRef:
                        name: settings

        """
    }

    /// Extra base resources; returns their file names.
    mutating func writeBaseExtras(_ dir: String, app: String) -> [String] {
        var names: [String] = []
        if rng.chance(30) {
            files["\(dir)/db.yaml"] = statefulSet(app)
            names.append("db.yaml")
        }
        if rng.chance(25) {
            files["\(dir)/cron.yaml"] = cronJob(app)
            names.append("cron.yaml")
        }
        return names
    }

    /// A strategic merge patch on the Deployment's container ports whose
    /// elements lack some of their keys (kyaml's walk decides what
    /// survives).
    mutating func keylessPatch(_ app: String) -> String {
        var text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: \(app)\nspec:\n  template:\n    spec:\n      containers:\n      - name: main\n        ports:\n"
        let choices = [
            "        - containerPort: 8080\n          protocol: TCP\n",
            "        - containerPort: 8080\n          name: http\n",
            "        - containerPort: 9090\n",
            "        - name: metrics\n",
            "        - containerPort: 7070\n          protocol: UDP\n",
        ]
        for _ in 0...rng.int(3) { text += rng.pick(choices) }
        return text
    }

    /// Lines for the overlay's kustomization (and resources to add), with
    /// the files they need.
    mutating func overlayExtras(_ dir: String, app: String, patches: inout [String], transformers: inout [String]) -> (resources: [String], lines: String) {
        var k = ""
        var resources: [String] = []
        var generators: [String] = []
        if rng.chance(25) {
            files["\(dir)/widget.yaml"] = widget()
            resources.append("widget.yaml")
            files["\(dir)/schema.json"] = Self.widgetSchema
            k += "openapi:\n  path: schema.json\n"
            patches.append(
                "- patch: |-\n    apiVersion: example.com/v1\n    kind: Widget\n    metadata:\n      name: gadget\n    spec:\n      parts:\n      - name: \(rng.pick(["b", "c"]))\n        size: \(rng.int(9))\n")
            if rng.chance(60) {
                files["\(dir)/widget-refs.yaml"] =
                    "nameReference:\n- kind: ConfigMap\n  version: v1\n  fieldSpecs:\n  - path: spec/settingsRef\n    kind: Widget\ncommonLabels:\n- path: spec/selector\n  kind: Widget\n  create: \(rng.chance(50))\n"
                k += "configurations:\n- widget-refs.yaml\n"
            }
        }
        if rng.chance(20) {
            files["\(dir)/ports.yaml"] = keylessPatch(app)
            patches.append("- path: ports.yaml\n")
        }
        if rng.chance(30) {
            let fields = ["originAnnotations", "transformerAnnotations", "managedByLabel"].filter { _ in rng.chance(60) }
            if !fields.isEmpty { k += "buildMetadata: [\(fields.joined(separator: ", "))]\n" }
        }
        if rng.chance(15) { k += "imageTags:\n- name: \(rng.pick(Self.images))\n  newTag: legacy-\(rng.pick(Self.words))\n" }
        if rng.chance(25) {
            transformers.append(
                "- |-\n  apiVersion: builtin\n  kind: PatchTransformer\n  metadata:\n    name: tweak\n  target:\n    kind: Service\n  patch: |-\n    - op: add\n      path: /metadata/labels\n      value:\n        patched: json\n")
        }
        if rng.chance(20) {
            transformers.append(
                "- |-\n  apiVersion: builtin\n  kind: PrefixSuffixTransformer\n  metadata:\n    name: fix\n  prefix: \(rng.pick(["pre", "ext"]))-\n  suffix: -\(rng.pick(["one", "two"]))\n  fieldSpecs:\n  - path: metadata/name\n")
        }
        if rng.chance(20) {
            transformers.append(
                "- |-\n  apiVersion: builtin\n  kind: NamespaceTransformer\n  metadata:\n    name: spread\n    namespace: \(rng.pick(["blue", "green"]))\n  unsetOnly: \(rng.chance(50))\n  setRoleBindingSubjects: \(rng.pick(["none", "defaultOnly", "allServiceAccounts"]))\n  fieldSpecs:\n  - path: metadata/namespace\n    create: true\n")
        }
        if rng.chance(20) {
            files["\(dir)/plugins/kustomization.yaml"] = "resources:\n- image.yaml\n"
            files["\(dir)/plugins/image.yaml"] =
                "apiVersion: builtin\nkind: ImageTagTransformer\nmetadata:\n  name: pin\nimageTag:\n  name: \(rng.pick(Self.images))\n  newTag: pinned\nfieldSpecs:\n- path: spec/template/spec/containers/image\n  kind: Deployment\n"
            transformers.append("- plugins\n")
        }
        if rng.chance(20) {
            generators.append(
                "- |-\n  apiVersion: builtin\n  kind: ConfigMapGenerator\n  metadata:\n    name: plugin-made\n  literals:\n  - color=\(rng.pick(Self.words))\n")
        }
        if rng.chance(15) {
            files["\(dir)/secret-gen.yaml"] =
                "apiVersion: builtin\nkind: SecretGenerator\nmetadata:\n  name: plugin-secret\n  namespace: vault\nliterals:\n- token=\(rng.pick(Self.words))\n"
            generators.append("- secret-gen.yaml\n")
        }
        if !generators.isEmpty { k += "generators:\n" + generators.joined() }
        if rng.chance(2) {
            k += "helmCharts:\n- name: podinfo\n  repo: https://stefanprodan.github.io/podinfo\n  version: 6.5.0\n"
        }
        return (resources, k)
    }
}
