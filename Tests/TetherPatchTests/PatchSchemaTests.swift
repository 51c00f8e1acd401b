import Testing
import TetherModel
import TetherPatch

@Suite("generated Kubernetes patch schema")
struct PatchSchemaTests {
    private func podSpec() throws -> PatchSchema.Node {
        let deployment = try #require(PatchSchema.root(group: "apps", version: "v1", kind: "Deployment"))
        return try #require(deployment.field("spec")?.field("template")?.field("spec"))
    }

    @Test("containers merge by name")
    func containers() throws {
        let containers = try #require(try podSpec().field("containers"))
        #expect(containers.isMergeList)
        #expect(containers.mergeKey == "name")
        #expect(containers.listType == "map")
        #expect(containers.elements?.field("image")?.shape == .scalar("string"))
    }

    @Test("container ports merge by containerPort and are keyed by port and protocol for apply")
    func ports() throws {
        let ports = try #require(try podSpec().field("containers")?.elements?.field("ports"))
        #expect(ports.mergeKey == "containerPort")
        #expect(ports.listMapKeys == ["containerPort", "protocol"])
    }

    @Test("tolerations are atomic and have no patch strategy")
    func tolerations() throws {
        let tolerations = try #require(try podSpec().field("tolerations"))
        #expect(!tolerations.isMergeList)
        #expect(tolerations.listType == "atomic")
    }

    @Test("strategies combine and attach to maps too")
    func strategies() throws {
        #expect(try podSpec().field("volumes")?.strategy == [.merge, .retainKeys])
        let deployment = try #require(PatchSchema.root(apiVersion: "apps/v1", kind: "Deployment"))
        #expect(deployment.field("spec")?.field("strategy")?.strategy == .retainKeys)
        let meta = try #require(deployment.field("metadata"))
        #expect(meta.field("finalizers")?.isMergeList == true)
        #expect(meta.field("labels")?.field("anything")?.shape == .scalar("string"))
    }

    @Test("roots are found for core and grouped kinds, not for custom resources")
    func roots() {
        #expect(PatchSchema.root(apiVersion: "v1", kind: "Pod") != nil)
        #expect(PatchSchema.root(for: ["apiVersion": "v1", "kind": "ConfigMap"]) != nil)
        #expect(PatchSchema.root(apiVersion: "example.com/v1", kind: "Widget") == nil)
        #expect(PatchSchema.root(for: ["kind": "Pod"]) == nil)
        #expect(PatchSchema.definition(named: "io.k8s.api.core.v1.PodSpec") != nil)
        #expect(PatchSchema.kubernetesVersion == "1.32.0")
    }
}
