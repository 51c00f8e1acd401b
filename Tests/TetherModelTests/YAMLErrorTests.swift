import Foundation
import Testing

@testable import TetherModel

/// Bad input gets an error naming file, line and column, and never a
/// shortened list of documents.
@Suite("YAML errors and limits")
struct YAMLErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var input: String
        /// Substring the error description must contain (location first).
        var expected: String
        /// Whether kubectl kustomize refuses it too (checked live).
        var referenceRefuses = true
        var testDescription: String { name }
    }

    static let head = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"

    static let cases: [Case] = [
        Case(name: "bad indentation", input: head + "data:\n  a: b\n   c: d\n", expected: "in.yaml:7:5: invalid YAML: mapping values are not allowed"),
        Case(name: "unclosed quote", input: head + "data:\n  a: \"open\n", expected: "in.yaml:7:1: invalid YAML"),
        Case(name: "tab indentation", input: head + "data:\n\ta: b\n", expected: "in.yaml:6:1: invalid YAML"),
        Case(name: "duplicate key", input: head + "data:\n  a: b\n  a: c\n", expected: "in.yaml:7:3: duplicate mapping key \"a\""),
        Case(name: "duplicate key after quoting", input: head + "data:\n  y: b\n  \"y\": c\n", expected: "in.yaml:7:3: duplicate mapping key \"y\""),
        Case(name: "document is a list", input: "- a\n- b\n", expected: "in.yaml:1:1: document is a list, not a Kubernetes object"),
        Case(name: "document is a string", input: "hello\n", expected: "in.yaml:1:1: document is a string"),
        Case(name: "missing apiVersion", input: "kind: ConfigMap\nmetadata:\n  name: x\n", expected: "object has no apiVersion",
             // kustomize passes it through; the API server would reject it later.
             referenceRefuses: false),
        Case(name: "missing kind", input: "apiVersion: v1\nmetadata:\n  name: x\n", expected: "object has no kind"),
        Case(name: "missing name", input: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {}\n", expected: "ConfigMap has no metadata.name"),
        Case(name: "missing metadata", input: "apiVersion: v1\nkind: ConfigMap\n", expected: "ConfigMap has no metadata"),
        Case(name: "integer key", input: head + "data:\n  1: a\n", expected: "in.yaml:6:3: mapping key 1 is an integer, not a string"),
        Case(name: "boolean key", input: head + "data:\n  true: a\n", expected: "mapping key true is a boolean"),
        Case(name: "infinity", input: head + "spec:\n  a: .inf\n", expected: "in.yaml:6:6: .inf (infinity or NaN) cannot be represented in JSON"),
        Case(name: "nan", input: head + "spec:\n  a: .nan\n", expected: ".nan (infinity or NaN)"),
        Case(name: "unknown alias", input: head + "spec:\n  a: *nope\n", expected: "in.yaml:6:6: "),
        Case(name: "error in a later document fails the stream",
             input: head + "---\n" + head + "data:\n  a: [\n", expected: "in.yaml:12:1: invalid YAML"),
        Case(name: "DEL character", input: head + "data:\n  a: \"x\\x7f\"\n", expected: "control character U+007F"),
    ]

    @Test("bad input gives a located error", arguments: cases)
    func located(_ c: Case) {
        do {
            let docs = try Resource.decodeStream(c.input, file: "in.yaml")
            Issue.record("expected an error, got \(docs.count) objects")
        } catch {
            #expect(error.description.contains(c.expected), "\(error.description)")
        }
    }

    @Test("kubectl kustomize refuses the same input", .enabled(if: Reference.kubectlAvailable), arguments: cases)
    func referenceRefuses(_ c: Case) throws {
        let result = try Reference.kustomize(resources: ["in.yaml": c.input])
        if case .success = result, c.referenceRefuses {
            Issue.record("kubectl kustomize accepted input that Tether refuses")
        }
    }

    @Test("invalid UTF-8 is refused with its position")
    func invalidUTF8() {
        var bytes = Array((Self.head + "data:\n  a: ").utf8)
        bytes += [0xC3, 0x28, 0x0A]
        #expect {
            _ = try YAMLDecoder().decode(bytes: bytes, file: "bin.yaml")
        } throws: { error in
            let e = error as? ModelError
            return e?.code == .invalidYAML && (e?.description.hasPrefix("bin.yaml:6:") ?? false)
        }
    }

    @Test("a billion-laughs document is refused quickly")
    func aliasBomb() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 {
            let refs = Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ")
            text += "a\(i): &a\(i) [\(refs)]\n"
        }
        let start = ContinuousClock.now
        #expect {
            _ = try YAMLDecoder().decode(text, file: "bomb.yaml")
        } throws: { error in
            (error as? ModelError)?.code == .limitExceeded
        }
        #expect(ContinuousClock.now - start < .seconds(10), "a hang guard, not a speed target: figures live in Benchmarks/")
    }

    @Test("deep nesting is refused before it can overflow the stack")
    func deepNesting() {
        let depth = 100_000
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect {
            _ = try YAMLDecoder().decode(text, file: "deep.yaml")
        } throws: { error in
            (error as? ModelError)?.description.contains("deeper than 200") ?? false
        }
    }

    @Test("a document over the size limit is refused")
    func documentSize() {
        var limits = YAMLDecoder.Limits()
        limits.maxDocumentBytes = 1 << 20
        let big = Self.head + "data:\n  a: " + String(repeating: "x", count: 2 << 20) + "\n"
        #expect {
            _ = try YAMLDecoder(limits: limits).decode(big, file: "big.yaml")
        } throws: { error in
            (error as? ModelError)?.code == .limitExceeded
        }
    }

    @Test("a 50 MB document is refused promptly by the default limits")
    func fiftyMegabytes() {
        let big = Self.head + "data:\n  a: " + String(repeating: "x", count: 50 << 20) + "\n"
        let start = ContinuousClock.now
        #expect(throws: ModelError.self) { _ = try YAMLDecoder().decode(big, file: "big.yaml") }
        #expect(ContinuousClock.now - start < .seconds(10), "a hang guard, not a speed target: figures live in Benchmarks/")
    }

    @Test("empty and null documents are skipped; List kinds are flattened")
    func emptyAndLists() throws {
        let text = "---\n---\n# c\n---\nnull\n---\napiVersion: v1\nkind: List\nitems:\n- " +
            "apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n---\n" + Self.head
        let objects = try Resource.decodeStream(text, file: "s.yaml")
        #expect(objects.map(\.name) == ["a", "x"])
    }

    @Test("positions are recorded for every node when asked")
    func positions() throws {
        let text = Self.head + "spec:\n  containers:\n  - name: a\n    image: nginx\n"
        let doc = try #require(try YAMLDecoder(options: .init(recordPositions: true)).decode(text, file: "p.yaml").first)
        #expect(doc.location(of: "/spec/containers/0/image").description == "p.yaml:8:12")
        #expect(doc.location(of: "/spec/containers").description == "p.yaml:7:3")
        #expect(doc.location(of: "/metadata/name").description == "p.yaml:4:9")
    }

    @Test("duplicateKeys: .lastWins keeps the first key's place and the later value, in maps and through aliases")
    func duplicateKeysLastWins() throws {
        let text = "a: 1\nb: 2\na: 3\nx: &k b\n*k : 4\n"
        let lenient = YAMLDecoder(options: .init(duplicateKeys: .lastWins))
        let value = try #require(try lenient.decode(text, file: "d.yaml").first?.value)
        guard case .map(let map) = value else { Issue.record("not a map: \(value)"); return }
        #expect(map.keys == ["a", "b", "x"])
        #expect(map["a"] == .int(3))
        #expect(map["b"] == .int(4))
        // The default still refuses.
        #expect(throws: ModelError.self) { try YAMLDecoder().decode(text, file: "d.yaml") }
    }
}

