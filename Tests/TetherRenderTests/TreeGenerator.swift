import Foundation

/// A seeded generator of random, valid kustomize trees that mix every
/// feature Tether supports, for the differential test against
/// `kubectl kustomize`.
///
/// Map keys are letters and dashes only: go-yaml orders keys that mix
/// letters and digits non-transitively and kustomize feeds them in random
/// order, so such keys have no single right answer (fixtures/yaml/README.md).
struct TreeGenerator {
    /// SplitMix64: small, seedable and the same on every platform.
    struct RNG {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
        mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }
    }

    var rng: RNG
    var files: [String: String] = [:]
    /// Directory to build, relative to the tree root.
    var buildPath = ""

    static let words = ["alpha", "bravo", "charlie", "delta", "echo", "fox", "golf", "hotel"]
    static let images = ["nginx", "redis", "busybox", "envoy"]

    init(seed: UInt64) { rng = RNG(state: seed) }

    /// Generates the tree and returns the files (path to text).
    mutating func generate() -> [String: String] {
        let apps = (0...rng.int(2)).map { "\(Self.words[$0 + 2])-\(rng.pick(["api", "web", "job"]))" }
        writeBase("base", apps: apps)
        var overlayBases = ["../../base"]
        if rng.chance(40) {
            writeBase("shared", apps: ["\(rng.pick(Self.words))-shared"], configMap: "shared-settings")
            overlayBases.append("../../shared")
        }
        let hasComponent = rng.chance(40)
        if hasComponent { writeComponent() }
        let overlay = rng.pick(["dev", "prod", "staging"])
        writeOverlay("overlays/\(overlay)", bases: overlayBases, apps: apps, component: hasComponent)
        buildPath = "overlays/\(overlay)"
        if rng.chance(30) {
            // A second overlay on top of the first.
            files["top/kustomization.yaml"] = "resources:\n- ../overlays/\(overlay)\nnamePrefix: top-\ncommonAnnotations:\n  layer: top\n"
            buildPath = "top"
        }
        return files
    }

    mutating func deployment(_ name: String) -> String {
        let image = rng.pick(Self.images) + (rng.chance(70) ? ":\(rng.int(3) + 1).\(rng.int(9))" : "")
        var text = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: \(name)
              labels:
                app: \(name)
            spec:
              replicas: \(rng.int(4) + 1)
              selector:
                matchLabels:
                  app: \(name)
              template:
                metadata:
                  labels:
                    app: \(name)
                spec:
                  containers:
                  - name: main
                    image: \(image)
                    args: ["--peer=$(APP_SERVICE)", "$(UNSET)"]
                    env:
                    - name: MODE
                      value: base
                    envFrom:
                    - configMapRef:
                        name: settings

            """
        if rng.chance(40) {
            text += "        ports:\n        - containerPort: 8080\n          protocol: TCP\n"
            if rng.chance(50) { text += "        - containerPort: 9090\n" }
            if rng.chance(30) { text += "        - containerPort: 8080\n          protocol: UDP\n" }
        }
        if rng.chance(50) {
            text += "        volumeMounts:\n        - name: conf\n          mountPath: /etc/conf\n"
            text += "      volumes:\n      - name: conf\n        configMap:\n          name: settings\n"
        }
        return text
    }

    func service(_ name: String) -> String {
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: \(name)
        spec:
          selector:
            app: \(name)
          ports:
          - port: 80
            targetPort: 8080

        """
    }

    mutating func writeBase(_ dir: String, apps: [String], configMap: String = "settings") {
        var resources: [String] = []
        for app in apps {
            files["\(dir)/\(app).yaml"] = deployment(app) + "---\n" + service(app)
            resources.append("\(app).yaml")
        }
        if dir == "base", let app = apps.first { resources += writeBaseExtras(dir, app: app) }
        var k = "resources:\n" + resources.map { "- \($0)\n" }.joined()
        k += "configMapGenerator:\n- name: \(configMap)\n  literals:\n  - level=\(rng.pick(Self.words))\n"
        if rng.chance(50) { k += "  - region=\(rng.pick(["east", "west"]))\n" }
        if rng.chance(40), let app = apps.first {
            // Name references beyond ConfigMaps: a service account bound to a
            // role, and an autoscaler naming the Deployment.
            files["\(dir)/rbac.yaml"] = """
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: runner
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata:
                  name: reader
                rules:
                - apiGroups: [""]
                  resources: [configmaps]
                  verbs: [get]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata:
                  name: read
                roleRef:
                  apiGroup: rbac.authorization.k8s.io
                  kind: Role
                  name: reader
                subjects:
                - kind: ServiceAccount
                  name: runner
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: \(app)
                spec:
                  scaleTargetRef:
                    apiVersion: apps/v1
                    kind: Deployment
                    name: \(app)
                  maxReplicas: 5

                """
            k = k.replacingOccurrences(of: "resources:\n", with: "resources:\n- rbac.yaml\n")
        }
        if rng.chance(30) {
            files["\(dir)/app.env"] = "FEATURE=\(rng.pick(Self.words))\n# comment\nCOLOR=blue\n"
            k += "  envs:\n  - app.env\n"
        }
        if rng.chance(40) { k += "commonLabels:\n  part-of: \(rng.pick(Self.words))\n" }
        if rng.chance(30) { k += "namePrefix: \(dir)-\n" }
        files["\(dir)/kustomization.yaml"] = k
    }

    mutating func writeComponent() {
        var k = "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
        k += "labels:\n- pairs:\n    feature: \(rng.pick(Self.words))\n  includeTemplates: \(rng.chance(50))\n"
        if rng.chance(50) {
            // A strategic merge patch: a JSON patch that replaces the whole
            // annotations map also drops kustomize's buildMetadata
            // bookkeeping, which Tether does not mimic (docs/render.md).
            k += "patches:\n- target:\n    kind: Deployment\n  patch: |-\n    kind: Deployment\n    metadata:\n      name: any\n      annotations:\n        component: enabled\n"
        }
        files["components/extra/kustomization.yaml"] = k
    }

    mutating func writeOverlay(_ dir: String, bases: [String], apps: [String], component: Bool) {
        // Legacy spellings kustomize still reads: `bases`, `nameprefix`,
        // `patchesStrategicMerge`.
        let legacy = rng.chance(15)
        var k = (legacy ? "bases:\n" : "resources:\n") + bases.map { "- \($0)\n" }.joined()
        if component { k += "components:\n- ../../components/extra\n" }
        if rng.chance(70) { k += "namespace: \(rng.pick(["team", "shop", "ops"]))\n" }
        if rng.chance(50) { k += "\(legacy ? "nameprefix" : "namePrefix"): \(rng.pick(["p", "q", "x"]))-\n" }
        if rng.chance(40) { k += "nameSuffix: -\(rng.pick(["v", "w"]))\n" }
        switch rng.int(3) {
        case 0: k += "commonLabels:\n  env: \(rng.pick(Self.words))\n"
        case 1: k += "labels:\n- pairs:\n    env: \(rng.pick(Self.words))\n  includeSelectors: \(rng.chance(50))\n"
        default: break
        }
        if rng.chance(50) { k += "commonAnnotations:\n  owner: \(rng.pick(Self.words))\n" }
        if rng.chance(60) {
            let image = rng.pick(Self.images)
            k += "images:\n- name: \(image)\n"
            if rng.chance(60) { k += "  newTag: \"\(rng.int(5) + 1).0\"\n" }
            if rng.chance(40) { k += "  newName: registry.example.com/\(image)\n" }
            if rng.chance(20) { k += "  tagSuffix: -slim\n" }
        }
        let app = rng.pick(apps)
        if rng.chance(50) { k += "replicas:\n- name: \(app)\n  count: \(rng.int(9) + 1)\n" }
        if rng.chance(60) {
            k += "configMapGenerator:\n- name: settings\n  behavior: \(rng.pick(["merge", "replace"]))\n  literals:\n  - level=\(rng.pick(Self.words))\n"
        }
        if rng.chance(50) {
            k += "secretGenerator:\n- name: creds\n  literals:\n  - password=\(rng.pick(Self.words))\n"
            if rng.chance(50) { k += "  type: kubernetes.io/basic-auth\n" }
        }
        var patches: [String] = []
        if rng.chance(60) {
            files["\(dir)/patch.yaml"] =
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: \(app)\nspec:\n  template:\n    spec:\n      containers:\n      - name: main\n        env:\n        - name: MODE\n          value: \(rng.pick(Self.words))\n"
            if legacy { k += "patchesStrategicMerge:\n- patch.yaml\n" } else { patches.append("- path: patch.yaml\n") }
        }
        if rng.chance(50) {
            patches.append(
                "- target:\n    kind: Service\n  patch: |-\n    - op: replace\n      path: /spec/ports/0/port\n      value: \(rng.int(9000) + 80)\n")
        }
        if rng.chance(40) {
            patches.append("- target:\n    kind: Deployment\n    name: \(app)\n  patch: |-\n    kind: Deployment\n    metadata:\n      name: any\n      labels:\n        patched: \"yes\"\n")
        }
        var transformers: [String] = []
        let extras = overlayExtras(dir, app: app, patches: &patches, transformers: &transformers)
        k += extras.lines
        if !extras.resources.isEmpty {
            k = k.replacingOccurrences(of: legacy ? "bases:\n" : "resources:\n", with: (legacy ? "bases:\n" : "resources:\n") + extras.resources.map { "- \($0)\n" }.joined())
        }
        if !patches.isEmpty { k += "patches:\n" + patches.joined() }
        if rng.chance(60) {
            k += "replacements:\n- source:\n    kind: ConfigMap\n    name: settings\n    fieldPath: data.level\n"
            // kustomize v5.5.0 reads `encoding` and ignores it.
            if rng.chance(15) { k += "    options:\n      encoding: \(rng.pick(["base64", "none"]))\n" }
            k += "  targets:\n  - select:\n      kind: Deployment\n"
            k += "    fieldPaths:\n    - spec.template.spec.containers.[name=main].env.[name=MODE].value\n"
            if rng.chance(50) {
                k += "    - spec.template.metadata.annotations.level\n    options:\n      create: true\n"
            }
            if rng.chance(40) {
                k += "- source:\n    kind: Service\n    fieldPath: metadata.name\n    name: \(app)\n  targets:\n  - select:\n      kind: ConfigMap\n      name: settings\n    fieldPaths:\n    - data.level\n    options:\n      delimiter: \"-\"\n      index: \(rng.int(3) - 1)\n"
            }
        }
        if rng.chance(30) {
            k += "vars:\n- name: APP_SERVICE\n  objref:\n    kind: Service\n    name: \(app)\n    apiVersion: v1\n"
            if rng.chance(50) { k += "  fieldref:\n    fieldpath: spec.ports[0].port\n" }
        }
        if rng.chance(40) {
            transformers.append(
                "- |-\n  apiVersion: builtin\n  kind: AnnotationsTransformer\n  metadata:\n    name: notes\n  annotations:\n    reviewed: \(rng.pick(Self.words))\n  fieldSpecs:\n  - path: metadata/annotations\n    create: true\n")
        }
        if rng.chance(40) {
            files["\(dir)/tier.yaml"] =
                "apiVersion: builtin\nkind: LabelTransformer\nmetadata:\n  name: tier\nlabels:\n  tier: \(rng.pick(Self.words))\nfieldSpecs:\n- path: metadata/labels\n  create: true\n"
            transformers.append("- tier.yaml\n")
        }
        if rng.chance(30) {
            files["\(dir)/scale.yaml"] =
                "apiVersion: builtin\nkind: ReplicaCountTransformer\nmetadata:\n  name: scale\nreplica:\n  name: \(app)\n  count: \(rng.int(5) + 1)\nfieldSpecs:\n- path: spec/replicas\n  create: true\n  kind: Deployment\n"
            transformers.append("- scale.yaml\n")
        }
        if !transformers.isEmpty { k += "transformers:\n" + transformers.joined() }
        if rng.chance(30) {
            // A transformer config teaching labels a field of its own.
            files["\(dir)/config.yaml"] = "commonLabels:\n- path: spec/template/metadata/annotations\n  create: true\n  kind: Deployment\n"
            if k.contains("configurations:\n") {
                k = k.replacingOccurrences(of: "configurations:\n", with: "configurations:\n- config.yaml\n")
            } else {
                k += "configurations:\n- config.yaml\n"
            }
        }
        if rng.chance(20) { k += "sortOptions:\n  order: fifo\n" }
        files["\(dir)/kustomization.yaml"] = k
    }
}
