// RenderBench: generates kustomize trees of a given size for
// Benchmarks/render/run.sh, and times in-process rendering.
//
//   RenderBench generate DIR RESOURCES   base plus overlays dev, staging, prod
//                                        (with a component, builtin plugin
//                                        configurations, `configurations`,
//                                        `openapi` and `buildMetadata`)
//   RenderBench render ROOT PATH REPEATS  best-of wall time of Renderer.renderText
//   RenderBench print ROOT PATH           the rendering on standard output
//   RenderBench phases ROOT PATH          time of parsing, building and encoding apart
import Foundation
import TetherModel
import TetherRender

func write(_ text: String, _ path: String) throws {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: false, encoding: .utf8)
}

func resource(_ i: Int) -> String {
    let name = "app-\(i)"
    // Every tenth object is a custom resource (merged through the overlays'
    // `openapi` schema, its reference taught by `configurations`).
    if i % 10 == 9 {
        return """
            apiVersion: example.com/v1
            kind: Widget
            metadata:
              name: \(name)
            spec:
              settingsRef: settings
              parts:
              - name: a
                size: 1
              - name: b
                size: 2

            """
    }
    switch i % 3 {
    case 0:
        return """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: \(name)
              labels:
                app: \(name)
            spec:
              replicas: 1
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
                    image: nginx:1.25
                    envFrom:
                    - configMapRef:
                        name: settings
                    ports:
                    - containerPort: 8080

            """
    case 1:
        return """
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
    default:
        return """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: \(name)
            data:
              color: blue
              size: large

            """
    }
}

func generate(_ dir: String, _ count: Int) throws {
    // The overlays add one generated ConfigMap and Secret and one
    // plugin-generated ConfigMap each; the base one more.
    let baseCount = max(1, count - 4)
    var files: [String] = []
    for start in stride(from: 0, to: baseCount, by: 500) {
        let text = (start..<min(baseCount, start + 500)).map(resource).joined(separator: "---\n")
        let file = "resources-\(start / 500).yaml"
        try write(text, "\(dir)/base/\(file)")
        files.append(file)
    }
    try write(
        "resources:\n" + files.map { "- \($0)\n" }.joined()
            + "configMapGenerator:\n- name: settings\n  literals:\n  - level=base\n",
        "\(dir)/base/kustomization.yaml")
    try write(
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nlabels:\n- pairs:\n    feature: audit\n  includeTemplates: true\n",
        "\(dir)/components/audit/kustomization.yaml")
    for (overlay, replicas) in [("dev", 1), ("staging", 2), ("prod", 3)] {
        try write(
            """
            resources:
            - ../../base
            components:
            - ../../components/audit
            openapi:
              path: widget.json
            configurations:
            - widget-refs.yaml
            buildMetadata: [originAnnotations, transformerAnnotations, managedByLabel]
            generators:
            - |-
              apiVersion: builtin
              kind: ConfigMapGenerator
              metadata:
                name: flags
              literals:
              - tier=\(overlay)
            transformers:
            - |-
              apiVersion: builtin
              kind: AnnotationsTransformer
              metadata:
                name: notes
              annotations:
                reviewed: "yes"
              fieldSpecs:
              - path: metadata/annotations
                create: true
            - tier.yaml
            - |-
              apiVersion: builtin
              kind: PatchTransformer
              metadata:
                name: widget-size
              target:
                kind: Widget
              patch: |-
                apiVersion: example.com/v1
                kind: Widget
                metadata:
                  name: any
                spec:
                  parts:
                  - name: b
                    size: \(replicas)
            namespace: \(overlay)
            namePrefix: \(overlay)-
            labels:
            - pairs:
                env: \(overlay)
              includeSelectors: true
            commonAnnotations:
              owner: platform
            images:
            - name: nginx
              newTag: "1.27"
            replicas:
            - name: app-0
              count: \(replicas)
            configMapGenerator:
            - name: settings
              behavior: merge
              literals:
              - level=\(overlay)
            secretGenerator:
            - name: creds
              literals:
              - password=\(overlay)
            patches:
            - path: patch.yaml
            - target:
                kind: Service
              patch: |-
                - op: replace
                  path: /spec/ports/0/port
                  value: 8\(replicas)

            """, "\(dir)/overlays/\(overlay)/kustomization.yaml")
        try write(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app-0
            spec:
              template:
                spec:
                  containers:
                  - name: main
                    resources:
                      limits:
                        memory: 256Mi

            """, "\(dir)/overlays/\(overlay)/patch.yaml")
        try write(widgetSchema, "\(dir)/overlays/\(overlay)/widget.json")
        try write(
            "nameReference:\n- kind: ConfigMap\n  version: v1\n  fieldSpecs:\n  - path: spec/settingsRef\n    kind: Widget\n",
            "\(dir)/overlays/\(overlay)/widget-refs.yaml")
        try write(
            "apiVersion: builtin\nkind: LabelTransformer\nmetadata:\n  name: tier\nlabels:\n  tier: \(overlay)\nfieldSpecs:\n- path: metadata/labels\n  create: true\n",
            "\(dir)/overlays/\(overlay)/tier.yaml")
    }
}

/// The Widget schema: `spec.parts` merges by `name`.
let widgetSchema = """
    {"definitions": {"com.example.v1.Widget": {"type": "object", "x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v1", "kind": "Widget"}],
     "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object"},
      "spec": {"type": "object", "properties": {"parts": {"type": "array", "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge",
       "items": {"type": "object", "properties": {"name": {"type": "string"}, "size": {"type": "integer"}}}}}}}}}}

    """

let args = CommandLine.arguments
switch args.count > 1 ? args[1] : "" {
case "generate" where args.count == 4:
    try generate(args[2], Int(args[3]) ?? 100)
case "render" where args.count == 5:
    let renderer = Renderer(fileSystem: try DiskFileSystem(root: args[2]), limits: { var l = Renderer.Limits(); l.maxObjects = 100_000; return l }())
    var best = Double.infinity, bytes = 0
    for _ in 0..<max(1, Int(args[4]) ?? 1) {
        let start = ContinuousClock.now
        bytes = try renderer.renderText(args[3]).utf8.count
        let d = ContinuousClock.now - start
        best = min(best, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }
    print("{\"seconds\": \(best), \"bytes\": \(bytes)}")
case "print" where args.count == 4:
    // The rendering itself, for run.sh's byte comparison with kubectl.
    let renderer = Renderer(fileSystem: try DiskFileSystem(root: args[2]), limits: { var l = Renderer.Limits(); l.maxObjects = 100_000; return l }())
    FileHandle.standardOutput.write(Data(try renderer.renderText(args[3]).utf8))
case "phases" where args.count == 4:
    // Where the time goes: YAML parsing of the inputs alone, the whole
    // build without encoding, and encoding the result.
    func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
    let root = args[2]
    let files = try FileManager.default.subpathsOfDirectory(atPath: root).filter { $0.hasSuffix(".yaml") && !$0.hasSuffix("kustomization.yaml") }
    let texts = try files.map { try String(contentsOfFile: root + "/" + $0, encoding: .utf8) }
    var decoded = 0
    let decode = try seconds { for (f, t) in zip(files, texts) { decoded += try Resource.decodeStream(t, file: f).count } }
    let renderer = Renderer(fileSystem: try DiskFileSystem(root: root), limits: { var l = Renderer.Limits(); l.maxObjects = 100_000; return l }())
    var objects: [Resource] = []
    let build = try seconds { objects = try renderer.render(args[3]) }
    var text = ""
    let encode = try seconds { text = try Resource.encodeStream(objects) }
    print("{\"decode_all_inputs\": \(decode), \"inputs\": \(decoded), \"render\": \(build), \"encode\": \(encode), \"objects\": \(objects.count), \"bytes\": \(text.utf8.count)}")
default:
    FileHandle.standardError.write(Data("usage: RenderBench generate DIR RESOURCES | render ROOT PATH REPEATS | print ROOT PATH | phases ROOT PATH\n".utf8))
    exit(64)
}
