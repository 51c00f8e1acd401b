import Foundation
import Testing
@testable import TetherEmulator

extension EmulatorSuites {
    /// Review kinds (pkg/registry/authentication/selfsubjectreview,
    /// pkg/registry/authorization/selfsubjectaccessreview): create-only,
    /// computed, never stored; and the built-in types added for issue 15.
    @Suite("kubectl auth can-i / whoami, review kinds and the added built-in types", .timeLimit(.minutes(1)))
    struct ReviewTests {
        @Test("kubectl auth can-i answers yes and auth whoami names the user")
        func auth() async throws {
            let h = try await EmulatorHarness.start(options: EmulatorOptions(controllers: false))
            defer { Task { await h.stop() } }
            var out = try await h.kubectl("auth", "can-i", "create", "deployments")
            #expect(out.status == 0 && out.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "yes", "\(out.stdout) \(out.stderr)")
            out = try await h.kubectl("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}")
            #expect(out.status == 0 && out.stdout == "system:anonymous", "\(out.stdout) \(out.stderr)")
            let get = try await h.http("GET", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
            #expect(get.code == 405, "review kinds are create-only: \(get.body)")
        }

        @Test("api-resources lists the admission, API registration, certificates, discovery, flowcontrol, node and storage kinds")
        func addedTypes() async throws {
            let h = try await EmulatorHarness.start(options: EmulatorOptions(controllers: false))
            defer { Task { await h.stop() } }
            let out = try await h.kubectl("api-resources", "-o", "name")
            for name in ["validatingwebhookconfigurations.admissionregistration.k8s.io", "apiservices.apiregistration.k8s.io",
                         "certificatesigningrequests.certificates.k8s.io", "endpointslices.discovery.k8s.io",
                         "events.events.k8s.io", "flowschemas.flowcontrol.apiserver.k8s.io", "runtimeclasses.node.k8s.io",
                         "csidrivers.storage.k8s.io", "endpoints", "limitranges", "resourcequotas", "persistentvolumes",
                         "podtemplates", "replicationcontrollers", "controllerrevisions.apps", "ingressclasses.networking.k8s.io",
                         "selfsubjectaccessreviews.authorization.k8s.io", "tokenreviews.authentication.k8s.io"] {
                #expect(out.stdout.split(separator: "\n").contains(Substring(name)), "\(name) missing")
            }
            let pv = try await h.kubectl("apply", "-f", try h.file("pv.yaml", """
                apiVersion: v1
                kind: PersistentVolume
                metadata: {name: pv1}
                spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], hostPath: {path: /tmp/pv1}}
                """))
            #expect(pv.status == 0, "\(pv.stderr)")
        }
    }
}
