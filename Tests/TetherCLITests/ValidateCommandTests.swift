import Foundation
import Testing

@Suite("tether validate and global behaviour")
struct ValidateCommandTests {
    @Test("--version prints the version")
    func version() throws {
        let out = try CLI.run(["--version"])
        #expect(out.status == 0)
        #expect(out.stdout == "0.1.0\n")
    }

    @Test("--help lists the subcommands")
    func help() throws {
        let out = try CLI.run(["--help"])
        #expect(out.status == 0)
        #expect(out.stdout.contains("validate"))
    }

    @Test("README example: validate a manifest file")
    func validateFile() throws {
        let out = try CLI.run(["validate", "fixtures/yaml/cases/deployment-realistic.yaml"])
        #expect(out.status == 0)
        #expect(out.stderr.contains("1 objects in 1 files are valid"))
    }

    @Test("README example: --print normalizes like kubectl kustomize")
    func validatePrint() throws {
        let out = try CLI.run(["validate", "--print", "fixtures/yaml/cases/bool-yes-plain.yaml"])
        #expect(out.status == 0)
        let expected = try String(
            contentsOf: CLI.repositoryRoot.appendingPathComponent("fixtures/yaml/expected/bool-yes-plain.yaml"), encoding: .utf8)
        #expect(out.stdout == expected)
    }

    @Test("bad YAML on stdin exits 2 with file:line:column")
    func badInput() throws {
        let out = try CLI.run(["validate", "-"], stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n")
        #expect(out.status == 2)
        #expect(out.stderr.contains("<stdin>:5:3: duplicate mapping key \"name\""))
        #expect(out.stdout.isEmpty)
    }

    @Test("an unknown flag exits non-zero with usage on stderr")
    func unknownFlag() throws {
        let out = try CLI.run(["validate", "--nope", "x.yaml"])
        #expect(out.status != 0)
        #expect(out.stderr.contains("--nope"))
    }
}
