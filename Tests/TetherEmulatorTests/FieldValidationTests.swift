import Foundation
import Testing
import TetherModel
@testable import TetherEmulator

extension EmulatorSuites {
    /// Unknown fields in built-in objects (KEP-2885 server-side field
    /// validation; apimachinery's strict JSON decoding): refused under
    /// `fieldValidation=Strict`, kubectl's default, dropped with a `Warning`
    /// under Warn (the default for other clients), dropped silently under Ignore.
    @Suite("fieldValidation: unknown fields in built-in objects", .timeLimit(.minutes(1)))
    struct FieldValidationTests {
        static let configMap = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: u}
            data: {a: b}
            bogus: 1
            """

        @Test("kubectl apply and apply --server-side refuse an unknown field with the API server's strict decoding errors")
        func strict() async throws {
            let h = try await EmulatorHarness.start(options: EmulatorOptions(controllers: false))
            defer { Task { await h.stop() } }
            let ns = EmulatorHarness.namespace("strict")
            _ = try await h.kubectl("create", "namespace", ns)
            let file = try h.file("u.yaml", Self.configMap)
            var out = try await h.kubectl("-n", ns, "apply", "-f", file)
            #expect(out.status != 0 && out.stderr.contains(
                #"ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus""#),
                "\(out.stderr)")
            out = try await h.kubectl("-n", ns, "apply", "--server-side", "-f", file)
            #expect(out.status != 0 && out.stderr.contains(
                "failed to create typed patch object (/v1, Kind=ConfigMap): .bogus: field not declared in schema"), "\(out.stderr)")
            out = try await h.kubectl("-n", ns, "apply", "-f", try h.file("d.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec: {containers: [{name: c, image: x, bogus: 1}]}
                """))
            #expect(out.stderr.contains(#"unknown field "spec.template.spec.containers[0].bogus""#), "\(out.stderr)")
        }

        @Test("Warn drops the field and sends a Warning header; Ignore drops it silently; a bad value is a 400")
        func warnAndIgnore() async throws {
            let h = try await EmulatorHarness.start(options: EmulatorOptions(controllers: false))
            defer { Task { await h.stop() } }
            let ns = EmulatorHarness.namespace("warn")
            _ = try await h.kubectl("create", "namespace", ns)
            var out = try await h.kubectl("-n", ns, "apply", "--validate=warn", "-f", try h.file("u.yaml", Self.configMap))
            #expect(out.status == 0 && out.stderr.contains(#"Warning: unknown field "bogus""#), "\(out.stderr)")
            let stored = try await h.http("GET", "/api/v1/namespaces/\(ns)/configmaps/u")
            let object = try JSONParsing().value(from: Array(stored.body.utf8))
            #expect(object["bogus"] == nil, "the unknown field must not be stored: \(stored.body)")
            let body = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"i"},"extra":true}"#
            let ignored = try await h.http("POST", "/api/v1/namespaces/\(ns)/configmaps?fieldValidation=Ignore", body: body)
            #expect(ignored.code == 201 && !ignored.body.contains("extra"), "\(ignored.body)")
            let bad = try await h.http("POST", "/api/v1/namespaces/\(ns)/configmaps?fieldValidation=Loose", body: body)
            #expect(bad.code == 400 && bad.body.contains(#"fieldValidation: Unsupported value: \"Loose\""#), "\(bad.body)")
            out = try await h.kubectl("-n", ns, "patch", "cm", "u", "-p", #"{"spec":{"x":1}}"#)
            #expect(out.status == 0 && out.stderr.contains(#"Warning: unknown field "spec""#), "\(out.stderr)")
        }
    }
}
