import Testing
import TetherModel
@testable import TetherEngine
import TestSupport

@Suite("ApplySet id", .capturedLogs)
struct ApplySetIDTests {
    /// The value kubectl v1.32 writes for `KUBECTL_APPLYSET=true kubectl apply --server-side --applyset=configmap/tether-web -n tether-system`,
    /// checked against kubectl v1.32 talking to `tether emulator` (label `applyset.kubernetes.io/id` on the parent).
    @Test func matchesKubectl() throws {
        let id = ApplySetID.id(forParent: ResourceID(group: "", kind: "ConfigMap", namespace: "tether-system", name: "tether-web"))
        #expect(id == "applyset-\(ApplySetIDTests.expected)-v1")
    }

    static let expected = "7X1FQhdqPy0cwI4IL3LXh6jfX_C3LOfBY75XMrULKvM"

    @Test func base64URLHasNoPadding() {
        #expect(Base64.encode([0xfb, 0xff], variant: .urlUnpadded) == "-_8")
        #expect(Base64.encode([0x66, 0x6f, 0x6f, 0x62], variant: .urlUnpadded) == "Zm9vYg")
    }
}
