import Foundation
import Testing
@testable import TetherSOPS

@Suite("key sources (sops conventions)")
struct KeysTests {
    @Test("SOPS_AGE_KEY, SOPS_AGE_KEY_FILE and the default key file are all read")
    func conventions() throws {
        let dir = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let id1 = try Support.text(AgeTests.identity), id2 = try Support.text(AgeTests.identity2)
        let config = dir.appendingPathComponent("config/sops/age")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try id2.write(to: config.appendingPathComponent("keys.txt"), atomically: true, encoding: .utf8)
        let env = ["SOPS_AGE_KEY": id1, "XDG_CONFIG_HOME": dir.appendingPathComponent("config").path]
        let keys = try SOPSKeys.sopsConventions(.init(environment: env))
        #expect(keys.ageIdentities.count == 2)
        let home = try SOPSKeys.sopsConventions(.init(environment: ["HOME": dir.path]))
        #expect(home.ageIdentities.isEmpty, "no ~/.config/sops/age/keys.txt under this HOME")
        let file = try SOPSKeys.sopsConventions(.init(environment: ["SOPS_AGE_KEY_FILE": AgeTests.identity.path], readDefaultKeyFile: false))
        #expect(file.ageIdentities.first?.recipient == "age1r3san5rqtrmjezzdz2lt4lhj23fnnuhxkxkmdkz2cjxkrlkxadysgau4mv")
        #expect(!"\(file)".contains("AGE-SECRET-KEY"))
        let missing = #expect(throws: SOPSError.self) {
            try SOPSKeys.sopsConventions(.init(environment: ["SOPS_AGE_KEY_FILE": dir.appendingPathComponent("nope").path]))
        }
        #expect(missing?.code == .invalidKey)
    }
}
