// EngineBench: the generated trees and the request counts for Benchmarks/engine/run.sh.
//
//   EngineBench generate DIR OBJECTS [changed]
//       writes base/ and overlays/bench/ rendering to exactly OBJECTS objects: four
//       Namespaces, then ConfigMaps, Deployments, Services, Secrets and ServiceAccounts
//       in rotation, spread over the four namespaces, in base files of 500 documents.
//       With `changed`, one object in each hundred (1%, every kind in turn) gets a new
//       value in one field (ConfigMap data, Deployment env, Service and ServiceAccount
//       annotation, Secret stringData), the same ones on every run; prints how many.
//   EngineBench split RENDERED.yaml OUTDIR PARENT_NAMESPACE
//       splits a rendered stream into OUTDIR/NAMESPACE/objects.yaml, cluster-scoped
//       objects into OUTDIR/PARENT_NAMESPACE: kubectl's ApplySet takes its namespaced
//       parent's namespace from -n, and -n refuses objects of any other namespace, so
//       kubectl needs one ApplySet per namespace for the same objects.
//   EngineBench audit < audit.json
//       summarises a `GET /_emulator/audit` answer on one line:
//       total writes lists gets dryruns discovery LISTS_PER_KIND, the last as A/B: the
//       most lists of one resource started (requests without a continue token), and the
//       most list requests of one resource counting continuation pages
import Foundation
import TetherModel

let namespaces = (0..<4).map { "bench-\($0)" }

func write(_ text: String, _ path: String) throws {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: false, encoding: .utf8)
}

/// Object `i` of the base (0-based, Namespaces not counted); `rev` is the changing value.
func object(_ i: Int, rev: Int) -> String {
    let name = "app-\(i)"
    // The five objects of a group share a namespace, so their references stay inside it.
    let namespace = namespaces[(i / 5) % namespaces.count]
    switch i % 5 {
    case 0:
        return """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: \(name)
              namespace: \(namespace)
            data:
              rev: "\(rev)"
              settings.yaml: |
                level: info
                size: large
                name: \(name)

            """
    case 1:
        return """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: \(name)
              namespace: \(namespace)
              labels:
                app: \(name)
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app: \(name)
              template:
                metadata:
                  labels:
                    app: \(name)
                spec:
                  serviceAccountName: app-\(i + 3)
                  containers:
                  - name: main
                    image: nginx:1.25
                    ports:
                    - name: http
                      containerPort: 8080
                    env:
                    - name: REV
                      value: "\(rev)"
                    envFrom:
                    - configMapRef:
                        name: app-\(i - 1)
                    resources:
                      requests:
                        cpu: 100m
                        memory: 64Mi
                      limits:
                        cpu: 500m
                        memory: 128Mi

            """
    case 2:
        return """
            apiVersion: v1
            kind: Service
            metadata:
              name: \(name)
              namespace: \(namespace)
              annotations:
                bench/rev: "\(rev)"
            spec:
              selector:
                app: app-\(i - 1)
              ports:
              - name: http
                port: 80
                targetPort: http

            """
    case 3:
        return """
            apiVersion: v1
            kind: Secret
            metadata:
              name: \(name)
              namespace: \(namespace)
            type: Opaque
            stringData:
              rev: "\(rev)"
              password: not-a-real-password-\(i)

            """
    default:
        return """
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: \(name)
              namespace: \(namespace)
              annotations:
                bench/rev: "\(rev)"

            """
    }
}

/// Whether object `i` is the one of its hundred that the changed tree edits: a different
/// offset in each hundred, so that the edits rotate through the five kinds.
func isChanged(_ i: Int) -> Bool {
    i % 100 == (i / 100 * 21) % 100
}

func generate(_ dir: String, _ total: Int, changed: Bool) throws {
    let count = max(0, total - namespaces.count)
    let nsText = namespaces.map { "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \($0)\n" }.joined(separator: "---\n")
    try write(nsText, "\(dir)/base/namespaces.yaml")
    var files = ["namespaces.yaml"]
    var edited = 0
    for start in stride(from: 0, to: count, by: 500) {
        let text = (start..<min(count, start + 500)).map { i in
            let rev = changed && isChanged(i) ? 1 : 0
            edited += rev
            return object(i, rev: rev)
        }.joined(separator: "---\n")
        let file = "objects-\(start / 500).yaml"
        try write(text, "\(dir)/base/\(file)")
        files.append(file)
    }
    try write("resources:\n" + files.map { "- \($0)\n" }.joined(), "\(dir)/base/kustomization.yaml")
    // The overlay: labels, annotations, an image tag and a JSON patch on every
    // Deployment (1000m is stored as 1 by the API server, so the fast path must
    // compare quantities by value).
    try write(
        """
        resources:
        - ../../base
        labels:
        - pairs:
            env: bench
        commonAnnotations:
          team: platform
        images:
        - name: nginx
          newTag: "1.27"
        patches:
        - target:
            kind: Deployment
          patch: |-
            - op: replace
              path: /spec/template/spec/containers/0/resources/limits/cpu
              value: 1000m

        """, "\(dir)/overlays/bench/kustomization.yaml")
    if changed { print(edited) }
}

/// Writes the rendered objects of each namespace to a directory of its own.
func split(_ rendered: String, into dir: String, clusterScopedTo parentNamespace: String) throws {
    let text = try String(contentsOfFile: rendered, encoding: .utf8)
    var groups: [String: [Resource]] = [:]
    for object in try Resource.decodeStream(text, file: rendered) {
        groups[object.namespace.isEmpty ? parentNamespace : object.namespace, default: []].append(object)
    }
    for (namespace, objects) in groups.sorted(by: { $0.key < $1.key }) {
        try write(try Resource.encodeStream(objects), "\(dir)/\(namespace)/objects.yaml")
        print(namespace, objects.count)
    }
}

/// One line of request counts from the emulator's audit log.
func summariseAudit() throws {
    let data = FileHandle.standardInput.readDataToEndOfFile()
    guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
          let items = root["items"] as? [[String: Any]] else {
        throw BenchError("stdin: not an AuditLog (expected {\"items\": [...]}).")
    }
    var writes = 0, lists = 0, gets = 0, dryRuns = 0, discovery = 0
    var listsPerKind: [String: Int] = [:], pagesPerKind: [String: Int] = [:]
    for item in items {
        let verb = item["verb"] as? String ?? ""
        let query = item["query"] as? String ?? ""
        if item["write"] as? Bool == true { writes += 1 }
        if query.contains("dryRun=All") { dryRuns += 1 }
        switch verb {
        case "list":
            lists += 1
            let kind = "\(item["group"] as? String ?? "")/\(item["resource"] as? String ?? "")"
            pagesPerKind[kind, default: 0] += 1
            if !query.contains("continue=") { listsPerKind[kind, default: 0] += 1 }
        case "get": gets += 1
        case "discovery", "openapi", "version": discovery += 1
        default: break
        }
    }
    print(items.count, writes, lists, gets, dryRuns, discovery, "\(listsPerKind.values.max() ?? 0)/\(pagesPerKind.values.max() ?? 0)")
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ text: String) { description = text }
}

let args = CommandLine.arguments
do {
    switch args.count > 1 ? args[1] : "" {
    case "generate" where args.count == 4 || (args.count == 5 && args[4] == "changed"):
        guard let total = Int(args[3]), total > namespaces.count else { throw BenchError("OBJECTS must be a number above 4") }
        try generate(args[2], total, changed: args.count == 5)
    case "split" where args.count == 5:
        try split(args[2], into: args[3], clusterScopedTo: args[4])
    case "audit" where args.count == 2:
        try summariseAudit()
    default:
        FileHandle.standardError.write(Data("""
            usage: EngineBench generate DIR OBJECTS [changed]
                   EngineBench split RENDERED.yaml OUTDIR PARENT_NAMESPACE
                   EngineBench audit < audit.json

            """.utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("EngineBench: \(error)\n".utf8))
    exit(1)
}
