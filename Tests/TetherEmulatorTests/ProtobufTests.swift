import Foundation
import Testing
import TetherModel
@testable import TetherEmulator
import TestSupport

/// The Kubernetes protobuf envelope and the JSON <-> protobuf translation
/// (k8s.io/apimachinery/pkg/runtime/serializer/protobuf: the `k8s\0` magic,
/// then a runtime.Unknown), checked against hand-assembled wire bytes and
/// against kubectl, whose typed commands send protobuf.
@Suite("Kubernetes protobuf", .capturedLogs)
struct ProtobufTests {
    static func json(_ text: String) throws -> Value { try JSONParsing().value(from: Array(text.utf8)) }

    @Test("decodes hand-assembled ConfigMap bytes; gogo's zero optional fields are dropped as Go's JSON drops them")
    func decodesKnownBytes() throws {
        // ObjectMeta{name: "a", generateName: "", generation: 0}, data{"k": "v"}.
        let meta: [UInt8] = [0x0A, 0x01, 0x61, 0x12, 0x00, 0x38, 0x00]
        let entry: [UInt8] = [0x0A, 0x01, 0x6B, 0x12, 0x01, 0x76]
        let raw: [UInt8] = [0x0A, UInt8(meta.count)] + meta + [0x12, UInt8(entry.count)] + entry
        let typeMeta: [UInt8] = [0x0A, 0x02] + Array("v1".utf8) + [0x12, 0x09] + Array("ConfigMap".utf8)
        let body = KubernetesProtobuf.magic + [0x0A, UInt8(typeMeta.count)] + typeMeta + [0x12, UInt8(raw.count)] + raw
        let value = try KubernetesProtobuf.decode(body)
        #expect(try JSONEncoding().string(value) == #"{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a"},"data":{"k":"v"}}"#)
    }

    @Test("a body without the k8s magic is a 400, as the API server answers")
    func rejectsMissingMagic() {
        #expect(throws: EmulatorError.self) { try KubernetesProtobuf.decode([0x0A, 0x00]) }
    }

    @Test("round-trips Quantity, IntOrString, Time, MicroTime, bytes, RawExtension, inline structs, maps and lists")
    func roundTrips() throws {
        let cases = [
            #"{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web","namespace":"n","creationTimestamp":"2024-05-01T10:00:00Z","labels":{"a":"1","b":"2"}},"spec":{"replicas":0,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"volumes":[{"name":"tmp","emptyDir":{}}],"containers":[{"name":"web","image":"nginx","ports":[{"containerPort":80,"protocol":"TCP"}],"resources":{"limits":{"cpu":"500m","memory":"1Gi"}},"livenessProbe":{"httpGet":{"path":"/","port":"http"}}}]}},"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":"25%"}}}}"#,
            #"{"kind":"Secret","apiVersion":"v1","metadata":{"name":"s"},"data":{"password":"czNjcjN0"},"type":"Opaque"}"#,
            #"{"kind":"ControllerRevision","apiVersion":"apps/v1","metadata":{"name":"r"},"data":{"spec":{"template":{"x":[1,"y"]}}},"revision":3}"#,
            #"{"kind":"SubjectAccessReview","apiVersion":"authorization.k8s.io/v1","metadata":{},"spec":{"user":"u","extra":{"scopes":["a","b"]}},"status":{"allowed":false}}"#,
            #"{"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"e"},"eventTime":"2024-05-01T10:00:00.123456Z","reportingController":"c","reportingInstance":"i","action":"A","reason":"R","regarding":{"kind":"Pod","name":"p"},"type":"Normal"}"#,
        ]
        for text in cases {
            let value = try Self.json(text)
            let bytes = try #require(try KubernetesProtobuf.encode(value))
            #expect(Array(bytes.prefix(4)) == KubernetesProtobuf.magic)
            let back = try KubernetesProtobuf.decode(bytes)
            #expect(try JSONEncoding().string(back) == text)
        }
    }

    @Test("a custom resource has no protobuf message, so it is answered in JSON")
    func customResourcesStayJSON() throws {
        #expect(try KubernetesProtobuf.encode(try Self.json(#"{"kind":"Widget","apiVersion":"example.com/v1"}"#)) == nil)
    }

    @Test("Accept negotiation: the first type the server writes wins; Table conversions are recognised")
    func negotiation() {
        #expect(ResponseFormat.negotiated(accept: "application/vnd.kubernetes.protobuf, */*") == .protobuf)
        #expect(ResponseFormat.negotiated(accept: "application/json, application/vnd.kubernetes.protobuf") == .json)
        #expect(ResponseFormat.negotiated(accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json") == .table)
        #expect(ResponseFormat.negotiated(accept: "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io,application/json") == .json)
        #expect(ResponseFormat.negotiated(accept: nil) == .json)
    }
}

extension EmulatorSuites {
    @Suite("kubectl typed commands over protobuf", .timeLimit(.minutes(1)))
    struct KubectlProtobufTests {
        @Test("kubectl create namespace|configmap|secret|deployment|job|cronjob|serviceaccount|role|rolebinding send protobuf and read protobuf answers")
        func typedCreates() async throws {
            let h = try await EmulatorHarness.start(options: EmulatorOptions(controllers: false))
            defer { Task { await h.stop() } }
            let ns = EmulatorHarness.namespace("proto")
            var out = try await h.kubectl("create", "namespace", ns, "-v=8")
            #expect(out.status == 0, "\(out.stderr)")
            #expect(out.stderr.contains("Content-Type: application/vnd.kubernetes.protobuf"), "the answer was not protobuf")
            let creates: [[String]] = [
                ["create", "configmap", "c", "--from-literal=k=v", "--from-literal=n=1"],
                ["create", "secret", "generic", "s", "--from-literal=password=s3cr3t"],
                ["create", "deployment", "web", "--image=nginx:1.27", "--replicas=3", "--port=80"],
                ["create", "job", "j", "--image=busybox"],
                ["create", "cronjob", "cj", "--image=busybox", "--schedule=*/5 * * * *"],
                ["create", "serviceaccount", "sa"],
                ["create", "role", "r", "--verb=get,list", "--resource=pods"],
                ["create", "rolebinding", "rb", "--role=r", "--user=alice", "--serviceaccount=\(ns):sa"],
                ["create", "service", "clusterip", "svc", "--tcp=80:8080"],
            ]
            for args in creates {
                out = try await h.kubectl(args: ["-n", ns] + args)
                #expect(out.status == 0, "kubectl \(args.joined(separator: " ")): \(out.stderr)")
            }
            let checks: [(args: [String], expected: String)] = [
                (["get", "cm", "c", "-o", "jsonpath={.data.k} {.data.n}"], "v 1"),
                (["get", "secret", "s", "-o", "jsonpath={.data.password} {.type}"], "czNjcjN0 Opaque"),
                (["get", "deploy", "web", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort} {.spec.strategy.rollingUpdate.maxSurge}"],
                 "3 nginx:1.27 80 25%"),
                (["get", "job", "j", "-o", "jsonpath={.spec.template.spec.restartPolicy} {.spec.template.spec.containers[0].name}"], "Never j"),
                (["get", "cronjob", "cj", "-o", "jsonpath={.spec.schedule} {.spec.jobTemplate.spec.template.spec.containers[0].image}"], "*/5 * * * * busybox"),
                (["get", "role", "r", "-o", "jsonpath={.rules[0].verbs} {.rules[0].resources}"], #"["get","list"] ["pods"]"#),
                (["get", "rolebinding", "rb", "-o", "jsonpath={.roleRef.name} {.subjects[*].name}"], "r alice sa"),
                (["get", "svc", "svc", "-o", "jsonpath={.spec.ports[0].port} {.spec.ports[0].targetPort}"], "80 8080"),
            ]
            for check in checks {
                out = try await h.kubectl(args: ["-n", ns] + check.args)
                #expect(out.stdout == check.expected, "kubectl \(check.args.joined(separator: " ")): \(out.stdout) \(out.stderr)")
            }
            // The protobuf answer decoded by kubectl (its Go decoder) carries the server's fields.
            out = try await h.kubectl("-n", ns, "create", "configmap", "d", "--from-literal=x=y", "-o", "json")
            let object = try ProtobufTests.json(out.stdout)
            #expect(object[path: ["metadata", "uid"]]?.stringValue?.isEmpty == false, "\(out.stdout) \(out.stderr)")
            #expect(object[path: ["metadata", "creationTimestamp"]]?.stringValue?.hasSuffix("Z") == true, "\(out.stdout)")
            #expect(object[path: ["data", "x"]]?.stringValue == "y")
        }
    }
}
