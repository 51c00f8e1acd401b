import Testing

@testable import TetherModel

@Suite("Scalars, numbers, ordering")
struct ModelTests {
    struct ResolveCase: CustomTestStringConvertible, Sendable {
        var text: String
        var expected: Value
        var testDescription: String { text }
    }

    static let resolveCases: [ResolveCase] = [
        .init(text: "yes", expected: "yes"), .init(text: "on", expected: "on"), .init(text: "True", expected: true),
        .init(text: "~", expected: nil), .init(text: "", expected: nil), .init(text: "0755", expected: 493),
        .init(text: "0o17", expected: 15), .init(text: "0x1F", expected: 31), .init(text: "1_000", expected: 1000),
        .init(text: "1.0", expected: 1), .init(text: "1.5", expected: 1.5), .init(text: "+12", expected: 12),
        .init(text: "08", expected: 8), .init(text: "2001-12-14", expected: "2001-12-14T00:00:00Z"),
        .init(text: "1e", expected: "1e"), .init(text: "_1", expected: "_1"), .init(text: "0x", expected: "0x"),
        .init(text: "9223372036854775808", expected: .uint(9_223_372_036_854_775_808)),
        .init(text: "-9223372036854775809", expected: .float(-9_223_372_036_854_775_809.0)),
    ]

    @Test("plain scalars resolve like go-yaml v3", arguments: resolveCases)
    func resolve(_ c: ResolveCase) throws {
        let doc = try #require(try YAMLDecoder().decode("v: \(c.text)\n", file: "t").first)
        #expect(doc.value["v"] == c.expected)
    }

    @Test("floats print in Go's forms", arguments: [
        (1.5, "1.5", "1.5"), (123456789.5, "1.234567895e+08", "123456789.5"), (0.000001, "1e-06", "0.000001"),
        (1e-7, "1e-07", "1e-7"), (1e21, "1e+21", "1e+21"), (0.1, "0.1", "0.1"), (-2.5, "-2.5", "-2.5"),
    ])
    func floats(_ value: Double, _ yaml: String, _ json: String) {
        #expect(GoFloat.yamlText(value) == yaml)
        #expect(GoFloat.jsonText(value) == json)
    }

    @Test("floats print in Go's 'f' shortest form (what SOPS hashes)", arguments: [
        (1234568000.0, "1234568000"), (0.2, "0.2"), (3.14, "3.14"), (7.0, "7"), (1e21, "1000000000000000000000"),
        (1e-7, "0.0000001"), (-2.5, "-2.5"), (0.0, "0"),
    ])
    func fFormat(_ value: Double, _ text: String) {
        #expect(GoFloat.fFormat(value) == text)
    }

    @Test("the YAML encoder can keep map key order")
    func keepsKeyOrder() throws {
        var encoder = YAMLEncoder()
        #expect(try encoder.encode(["b": 1, "a": 2]) == "a: 2\nb: 1\n")
        encoder.keepsKeyOrder = true
        #expect(try encoder.encode(["b": 1, "a": 2]) == "b: 1\na: 2\n")
    }

    @Test("keys sort in go-yaml's natural order")
    func keyOrder() {
        let keys = ["a10", "a9", "b", "A", "_u", "1", "10", "2", "a01", "a1"]
        #expect(keys.sorted(by: KeyOrder.areInIncreasingOrder) == ["_u", "1", "2", "10", "A", "a1", "a01", "a9", "a10", "b"])
    }

    @Test("objects sort in kustomize's legacy order")
    func legacyOrder() {
        let ids = [
            ResourceID(group: "apps", kind: "Deployment", namespace: "a", name: "web"),
            ResourceID(group: "", kind: "ConfigMap", name: "b"),
            ResourceID(group: "", kind: "ConfigMap", namespace: "z", name: "a"),
            ResourceID(group: "", kind: "Namespace", name: "prod"),
            ResourceID(group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration", name: "v"),
            ResourceID(group: "example.com", kind: "Widget", namespace: "a", name: "w"),
        ]
        #expect(ids.sorted().map(\.description) == [
            "Namespace/prod", "ConfigMap/z/a", "ConfigMap/b", "Deployment.apps/a/web", "Widget.example.com/a/w",
            "ValidatingWebhookConfiguration.admissionregistration.k8s.io/v",
        ])
    }

    @Test("labels and annotations read as strings")
    func labelsAsStrings() throws {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    a: 1\n    b: true\n    c: \"s\"\n"
        let r = try #require(try Resource.decodeStream(text, file: "t").first)
        #expect(r.labels.map(\.value) == ["1", "true", "s"])
        #expect(r.id.description == "ConfigMap/x")
    }

    @Test("JSON round-trips with key order and Go's escapes")
    func jsonRoundTrip() throws {
        let text = #"{"b":1,"a":[true,null,1.5,"x\n\u0001<>&\u2028"],"c":{"d":-0.000001,"e":18446744073709551615}}"#
        let value = try JSONParsing().value(from: text)
        #expect(value["b"] == 1)
        #expect(try JSONEncoding().string(value) == #"{"b":1,"a":[true,null,1.5,"x\n\u0001<>&\u2028"],"c":{"d":-0.000001,"e":18446744073709551615}}"#)
        let pretty = try JSONEncoding(pretty: true).string(["k": [1]])
        #expect(pretty == "{\n  \"k\": [\n    1\n  ]\n}")
    }

    @Test("bad JSON is refused with the byte offset", arguments: [#"{"a":}"#, "[1,", #""\x""#, "01", "{} x", "nul"])
    func badJSON(_ text: String) {
        #expect(throws: ModelError.self) { _ = try JSONParsing().value(from: text) }
    }

    @Test("YAML and JSON give the same Value")
    func yamlJSONAgree() throws {
        let yaml = "a: 1\nb: [x, 2.5, null]\nc: {d: true}\n"
        let fromYAML = try #require(try YAMLDecoder().decode(yaml, file: "t").first).value
        let fromJSON = try JSONParsing().value(from: try JSONEncoding().string(fromYAML))
        #expect(fromYAML == fromJSON)
    }
}
