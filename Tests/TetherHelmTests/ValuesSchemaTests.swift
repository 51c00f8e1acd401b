import Foundation
import Testing
import TetherModel
import TetherTemplate
@testable import TetherHelm

/// `values.schema.json` checks against Helm v4 (santhosh-tekuri/jsonschema v6): the expected
/// texts were recorded from helm-python-sdk's `Chart.validate_schema` for a chart named `c`,
/// and the same schemas run through the live SDK when it is installed.
@Suite("Helm values.schema.json validation")
struct ValuesSchemaTests {
    struct Case: Sendable, CustomStringConvertible {
        var schema: String
        var values: String
        /// Helm's text (`c:` then the errors), or nil when the values conform.
        var expected: String?
        init(_ schema: String, _ values: String, _ expected: String?) {
            self.schema = schema
            self.values = values
            self.expected = expected
        }
        var description: String { "\(schema) with \(values)" }
    }

    static let recorded: [Case] = [
        .init(###"{"properties": {"n": {"type": "string"}}, "type": "object"}"###, ###"{"n": 3}"###, ###"c:\###n- at '/n': got number, want string\###n"###),
        .init(###"{"properties": {"x": {"minimum": 1.5, "maximum": 1234567.25}}, "type": "object"}"###, ###"{"x": 0}"###, ###"c:\###n- at '/x': minimum: got 0, want 1.5\###n"###),
        .init(###"{"properties": {"x": {"maximum": 1000}}, "type": "object"}"###, ###"{"x": 5000}"###, ###"c:\###n- at '/x': maximum: got 5,000, want 1,000\###n"###),
        .init(###"{"properties": {"x": {"minimum": 1.5, "maximum": 1234567.25}}, "type": "object"}"###, ###"{"x": 20000000.0}"###, ###"c:\###n- at '/x': maximum: got 2×10⁰⁷, want 1.23456725×10⁰⁶\###n"###),
        .init(###"{"properties": {"k": {"enum": [1, "a", true, null, 2.5]}}, "type": "object"}"###, ###"{"k": "b"}"###, ###"c:\###n- at '/k': value must be one of 1, 'a', true, <nil>, 2.5\###n"###),
        .init(###"{"properties": {"c": {"const": "z"}}, "type": "object"}"###, ###"{"c": "y"}"###, ###"c:\###n- at '/c': value must be 'z'\###n"###),
        .init(###"{"properties": {"t": {"type": ["string", "null"]}}, "type": "object"}"###, ###"{"t": 1}"###, ###"c:\###n- at '/t': got number, want null or string\###n"###),
        .init(###"{"properties": {"m": {"multipleOf": 0.1}}, "type": "object"}"###, ###"{"m": 0.3}"###, nil),
        .init(###"{"properties": {"m": {"multipleOf": 0.5}}, "type": "object"}"###, ###"{"m": 0.3}"###, ###"c:\###n- at '/m': multipleOf: got 0.3, want 0.5\###n"###),
        .init(###"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"e": {"format": "email"}}, "type": "object"}"###, ###"{"e": "bad"}"###, ###"c:\###n- at '/e': 'bad' is not valid email: missing @\###n"###),
        .init(###"{"properties": {"e": {"format": "email"}}, "type": "object"}"###, ###"{"e": "bad"}"###, nil),
        .init(###"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"$ref": "#/definitions/s", "minLength": 10}}, "definitions": {"s": {"type": "string"}}, "type": "object"}"###, ###"{"a": "x"}"###, nil),
        .init(###"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {"$ref": "#/definitions/s", "minLength": 10}}, "definitions": {"s": {"type": "string"}}, "type": "object"}"###, ###"{"a": 1}"###, ###"c:\###n- at '/a': got number, want string\###n"###),
        .init(###"{"properties": {"a": {"$ref": "#/$defs/s", "minLength": 10}}, "$defs": {"s": {"type": "string"}}, "type": "object"}"###, ###"{"a": "x"}"###, ###"c:\###n- at '/a': minLength: got 1, want 10\###n"###),
        .init(###"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"tu": {"items": [{"type": "string"}], "additionalItems": false}}, "type": "object"}"###, ###"{"tu": ["a", 1, 2]}"###, ###"c:\###n- at '/tu': last 2 additionalItem(s) not allowed\###n"###),
        .init(###"{"properties": {"o": {"oneOf": [{"type": "string"}, {"type": "integer"}]}}, "type": "object"}"###, ###"{"o": 1.5}"###, ###"c:\###n- at '/o': 'oneOf' failed, none matched\###n  - at '/o': got number, want string\###n  - at '/o': got number, want integer\###n"###),
        .init(###"{"properties": {"o": {"oneOf": [{"type": "number"}, {"type": "integer"}]}}, "type": "object"}"###, ###"{"o": 1}"###, ###"c:\###n- at '/o': 'oneOf' failed, subschemas 0, 1 matched\###n"###),
        .init(###"{"properties": {"an": {"anyOf": [{"type": "string"}, {"minimum": 5}]}}, "type": "object"}"###, ###"{"an": 1}"###, ###"c:\###n- at '/an': 'anyOf' failed\###n  - at '/an': got number, want string\###n  - at '/an': minimum: got 1, want 5\###n"###),
        .init(###"{"properties": {"no": {"not": {"type": "string"}}}, "type": "object"}"###, ###"{"no": "s"}"###, ###"c:\###n- at '/no': 'not' failed\###n"###),
        .init(###"{"properties": {"u": {"uniqueItems": true}}, "type": "object"}"###, ###"{"u": [1, 2, 1]}"###, ###"c:\###n- at '/u': items at 0 and 2 are equal\###n"###),
        .init(###"{"properties": {"ap": {"additionalProperties": false, "properties": {"q": {}}}}, "type": "object"}"###, ###"{"ap": {"q": 1, "r": 2}}"###, ###"c:\###n- at '/ap': additional properties 'r' not allowed\###n"###),
        .init(###"{"properties": {"ai": {"allOf": [{"type": "string"}, {"minLength": 3}]}}, "type": "object"}"###, ###"{"ai": "ab"}"###, ###"c:\###n- at '/ai': 'allOf' failed\###n  - at '/ai': minLength: got 2, want 3\###n"###),
        .init(###"{"required": ["name"], "type": "object"}"###, ###"{}"###, ###"c:\###n- at '': missing property 'name'\###n"###),
        .init(###"{"required": ["a", "b"], "type": "object"}"###, ###"{}"###, ###"c:\###n- at '': missing properties 'a', 'b'\###n"###),
        .init(###"{"properties": {"name": {"maxLength": 5, "pattern": "^[a-z]+$"}}, "type": "object"}"###, ###"{"name": "ABCDEFG"}"###, ###"c:\###n- at '/name': maxLength: got 7, want 5\###n- at '/name': 'ABCDEFG' does not match pattern '^[a-z]+$'\###n"###),
        .init(###"{"properties": {"l": {"items": {"type": "string"}, "minItems": 3}}, "type": "object"}"###, ###"{"l": [1]}"###, ###"c:\###n- at '/l': minItems: got 1, want 3\###n- at '/l/0': got number, want string\###n"###),
        .init(###"{"properties": {"l": {"type": "object", "minProperties": 2}}, "type": "object"}"###, ###"{"l": {"a": 1}}"###, ###"c:\###n- at '/l': minProperties: got 1, want 2\###n"###),
        .init(###"{"properties": {"i": {"type": "integer"}}, "type": "object"}"###, ###"{"i": 2.0}"###, nil),
        .init(###"{"properties": {"i": {"exclusiveMinimum": 0}}, "type": "object"}"###, ###"{"i": 0}"###, ###"c:\###n- at '/i': exclusiveMinimum: got 0, want 0\###n"###),
        .init(###"{"propertyNames": {"maxLength": 3}, "type": "object"}"###, ###"{"abcd": 1}"###, ###"c:\###n- at '': invalid propertyName 'abcd'\###n  - at '': maxLength: got 4, want 3\###n"###),
        .init(###"{"properties": {"s": {"if": {"type": "string"}, "then": {"minLength": 2}, "else": {"minimum": 10}}}, "type": "object"}"###, ###"{"s": 1}"###, ###"c:\###n- at '/s': minimum: got 1, want 10\###n"###),
        .init(###"{"properties": {"d": {"dependentRequired": {"a": ["b"]}}}, "type": "object"}"###, ###"{"d": {"a": 1}}"###, ###"c:\###n- at '/d': properties 'b' required, if 'a' exists\###n"###),
        .init(###"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"d": {"dependencies": {"a": ["b", "c"]}}}, "type": "object"}"###, ###"{"d": {"a": 1}}"###, ###"c:\###n- at '/d': properties 'b', 'c' required, if 'a' exists\###n"###),
        .init(###"{"properties": {"q": {"contains": {"type": "string"}}}, "type": "object"}"###, ###"{"q": [1, 2]}"###, ###"c:\###n- at '/q': no items match contains schema\###n  - at '/q/0': got number, want string\###n  - at '/q/1': got number, want string\###n"###),
        .init(###"{"properties": {"f": false}, "type": "object"}"###, ###"{"f": 1}"###, ###"c:\###n- at '/f': false schema\###n"###),
        .init(###"{"patternProperties": {"^x-": {"type": "string"}}, "type": "object"}"###, ###"{"x-a": 1}"###, ###"c:\###n- at '/x-a': got number, want string\###n"###),
        .init(###"{"properties": {"s": {"const": {"a": 1}}}, "type": "object"}"###, ###"{"s": {"a": 2}}"###, ###"c:\###n- at '/s': 'const' failed\###n"###),
        .init(###"{"properties": {"big": {"minimum": 1000000}}, "type": "object"}"###, ###"{"big": 1234}"###, ###"c:\###n- at '/big': minimum: got 1,234, want 1×10⁰⁶\###n"###),
        .init(###"{"properties": {"tiny": {"maximum": 1e-05}}, "type": "object"}"###, ###"{"tiny": 0.5}"###, ###"c:\###n- at '/tiny': maximum: got 0.5, want 1×10⁻⁰⁵\###n"###),
    ]

    static func ours(_ c: Case) throws -> String? {
        let schema = try ValuesSchema(bytes: Array(c.schema.utf8), file: "values.schema.json")
        let values = HelmValues.templateValue(try JSONParsing().value(from: c.values))
        return schema.violations(of: values).map { "c:\n" + $0 }
    }

    @Test("each schema judges its values as Helm v4 did, in Helm's words (recorded)", arguments: recorded)
    func recordedCase(_ c: Case) throws {
        #expect(try Self.ours(c) == c.expected)
    }

    @Test("the same schemas through the live SDK (lines compared in any order: Helm walks Go maps)",
          .enabled(if: HelmLiveSDKTests.python != nil, "helm-python-sdk is absent (set TETHER_PYTHON or run .ci/run)"))
    func live() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/templates", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "apiVersion: v2\nname: c\nversion: 0.1.0\n".write(toFile: directory + "/Chart.yaml", atomically: true, encoding: .utf8)
        try "x: 1\n".write(toFile: directory + "/templates/a.yaml", atomically: true, encoding: .utf8)
        let script = """
            import json, sys
            from helm_python.chart import Chart
            out = []
            for schema, values in json.load(sys.stdin):
                open(sys.argv[1] + "/values.schema.json", "w").write(schema)
                c = Chart.load(sys.argv[1])
                try:
                    c.validate_schema(json.loads(values)); out.append(None)
                except Exception as e:
                    out.append(str(e))
                finally:
                    c.close()
            print(json.dumps(out))
            """
        let input = "[" + Self.recorded.map { "[\(goQuote($0.schema)),\(goQuote($0.values))]" }.joined(separator: ",") + "]"
        let output = try HelmLiveSDKTests.runPython(script, arguments: [directory], stdin: Array(input.utf8))
        guard case .list(let answers) = try JSONParsing().value(from: output) else { Issue.record("the SDK printed no list"); return }
        try #require(answers.count == Self.recorded.count)
        for (c, answer) in zip(Self.recorded, answers) {
            let ours = try Self.ours(c)
            let sorted = { (s: String?) in s.map { $0.split(separator: "\n").sorted() } }
            #expect(sorted(ours) == sorted(answer.stringValue), "\(c)")
        }
    }

    @Test("a chart and its subchart: each schema checks its own values; errors as helm template prints them")
    func subcharts() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (path, text) in [
            "Chart.yaml": "apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n- name: sub\n  version: 0.1.0\n",
            "values.yaml": "replicas: 1\nsub:\n  port: 80\n",
            "values.schema.json": #"{"type":"object","properties":{"replicas":{"type":"integer"}}}"#,
            "templates/a.yaml": "a: {{ .Values.replicas }}\n",
            "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
            "charts/sub/values.yaml": "port: 80\n",
            "charts/sub/values.schema.json": #"{"properties":{"port":{"maximum":1000}}}"#,
            "charts/sub/templates/b.yaml": "b: {{ .Values.port }}\n",
        ] {
            let file = directory + "/" + path
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: file, atomically: true, encoding: .utf8)
        }
        let chart = try Chart(directory: directory)
        let engine = HelmEngine(release: .init(name: "rel", namespace: "ns"))
        #expect(try engine.render(chart, values: [:]).count == 2)
        do {
            _ = try engine.render(chart, values: ["replicas": .string("3"), "sub": .map(["port": .float(5000)])])
            Issue.record("no schema error")
        } catch {
            #expect(error.message == """
                values don't meet the specifications of the schema(s) in the following chart(s):
                top:
                - at '/replicas': got string, want integer
                sub:
                - at '/port': maximum: got 5,000, want 1,000

                """)
        }
        var skipping = engine
        skipping.validatesSchema = false
        #expect(try skipping.render(chart, values: ["replicas": .string("3")]).count == 2)
    }

    @Test("a reference outside the file is refused by name, not skipped")
    func refusedReference() {
        #expect(throws: HelmError.self) {
            try ValuesSchema(bytes: Array(#"{"properties":{"a":{"$ref":"https://example.com/s.json"}}}"#.utf8), file: "values.schema.json")
        }
    }

    /// The shared charts that ship a `values.schema.json`.
    static let schemaCharts: [String] = ["charts/external-dns", "charts/redis"] + [
        "cert-manager", "external-secrets", "opentelemetry-collector", "postgresql", "prometheus", "traefik", "vault",
    ].map { "charts-more/" + $0 }

    @Test("shared charts with a schema: every typed top-level value given the wrong type fails as in Helm (live SDK)",
          .enabled(if: HelmCorpus.isPresent && HelmLiveSDKTests.python != nil, "helm-python-sdk or ../shared/helm is absent"),
          arguments: schemaCharts)
    func sharedChart(_ path: String) throws {
        let directory = HelmCorpus.root.appendingPathComponent(path).path
        let schema = try JSONParsing().value(from: [UInt8](try #require(FileManager.default.contents(atPath: directory + "/values.schema.json"))))
        // each top-level property with a single type gets a value of another type
        // (not the subcharts' keys: a non-map there fails coalescing before any schema is read)
        let subcharts = Set(try Chart(directory: directory).subcharts.map(\.name))
        var bad: [String: TemplateValue] = [:]
        var root = schema
        if let ref = root["$ref"]?.stringValue, ref.hasPrefix("#"), let target = try? JSONPointer(String(ref.dropFirst())).value(in: schema) {
            root = target
        }
        for entry in root["properties"]?.mapValue?.entries ?? [] where !subcharts.contains(entry.key) {
            var property = entry.value
            if let ref = property["$ref"]?.stringValue, ref.hasPrefix("#"), let target = try? JSONPointer(String(ref.dropFirst())).value(in: schema) {
                property = target
            }
            guard let type = property["type"]?.stringValue else { continue }
            bad[entry.key] = type == "string" ? .list([.float(1)]) : .string("wrong")
        }
        try #require(!bad.isEmpty)
        let script = """
            import json, sys
            from helm_python.chart import Chart
            ch = Chart.load(sys.argv[1])
            try:
                ch.render(values=json.load(sys.stdin), name="rel", namespace="ns"); print(json.dumps(None))
            except Exception as e:
                print(json.dumps(str(e)))
            finally:
                ch.close()
            """
        let input = SprigJSON.encode(.map(bad), escapeHTML: false, indent: false)
        let helm = try JSONParsing().value(from: try HelmLiveSDKTests.runPython(script, arguments: [directory], stdin: Array(input.utf8))).stringValue
        var ours: String?
        do {
            _ = try HelmEngine(release: .init(name: "rel", namespace: "ns")).render(try Chart(directory: directory), values: bad)
        } catch {
            ours = error.message
        }
        let lines = { (s: String?) in s.map { $0.split(separator: "\n").sorted() } }
        #expect(helm != nil)
        #expect(lines(ours) == lines(helm), "\(path)\nours: \(ours ?? "nil")\nhelm: \(helm ?? "nil")")
    }
}
