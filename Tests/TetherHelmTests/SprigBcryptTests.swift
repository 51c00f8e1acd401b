import Foundation
import Testing
import TetherModel
import TetherTemplate
@testable import TetherHelm

/// `bcrypt` and `htpasswd` through libxcrypt: the shape Go's bcrypt gives, and the same
/// algorithm (a hash Helm made checks with ours).
@Suite("Sprig bcrypt and htpasswd")
struct SprigBcryptTests {
    static func render(_ template: String) throws -> String {
        var set = TemplateSet(name: "t", functions: TemplateFunctionTable(Sprig.functions()))
        try set.parse(template, name: "t")
        return try set.execute("t", data: .map([:]))
    }

    @Test("bcrypt gives $2a$10$ and 60 characters, fresh salt each call, and checks against itself")
    func shape() throws {
        let a = try Self.render(#"{{ bcrypt "pässwörd" }}"#), b = try Self.render(#"{{ bcrypt "pässwörd" }}"#)
        #expect(a.hasPrefix("$2a$10$") && a.count == 60)
        #expect(a != b)
        #expect(try BCrypt.crypt("pässwörd", setting: a) == a)
        #expect(try BCrypt.crypt("other", setting: a) != a)
        #expect(try Self.render(#"{{ htpasswd "a:b" "x" }}"#) == "invalid username: a:b")
        #expect(try Self.render(#"{{ bcrypt (repeat 73 "x") }}"#) == "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes")
    }

    @Test("a hash Helm's bcrypt made (live SDK) checks with ours: the same algorithm",
          .enabled(if: HelmLiveSDKTests.python != nil, "helm-python-sdk is absent (set TETHER_PYTHON or run .ci/run)"))
    func helmHash() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bcrypt-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/templates", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "apiVersion: v2\nname: c\nversion: 0.1.0\n".write(toFile: directory + "/Chart.yaml", atomically: true, encoding: .utf8)
        try #"{{ bcrypt "pässwörd" }}"#.write(toFile: directory + "/templates/a.txt", atomically: true, encoding: .utf8)
        let script = """
            import json, sys
            from helm_python.chart import Chart
            ch = Chart.load(sys.argv[1])
            print(json.dumps(ch.render(values={}, name="r", namespace="n")))
            """
        let output = try HelmLiveSDKTests.runPython(script, arguments: [directory])
        let helm = try #require(try JSONParsing().value(from: output)["c/templates/a.txt"]?.stringValue)
        #expect(helm.hasPrefix("$2a$10$"))
        #expect(try BCrypt.crypt("pässwörd", setting: helm) == helm)
    }
}
