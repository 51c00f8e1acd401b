import Foundation
import Testing
import TetherModel
import TetherTemplate
@testable import TetherHelm

/// Sprig's own test cases (github.com/Masterminds/sprig `*_test.go`), each confirmed by Helm
/// v4, from `../shared/helm/sprig-cases*.jsonl`. Each runs as Helm's check ran it: wrapped as
/// `{{$ = .Values.v}}{{range list .Values.v}}TEMPLATE{{end}}` in `c/templates/case` with
/// `missingkey=zero`, `.Values.v` = vars (numbers float64), `<no value>` removed.
@Suite("Sprig conformance cases")
struct SprigCaseTests {
    static let directory = "../shared/helm"

    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var template: String
        var expected: String?
        var error: String?
        var vars: TemplateValue
        var description: String { name }
    }

    /// Cases we know we get wrong, with the reason; must stay empty or shrink.
    static let knownFailures: Set<String> = []

    static func load(_ file: String) -> [Case] {
        guard let text = try? String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line -> Case? in
            guard case .map(let o, _)? = try? SprigJSON.decode(String(line)) else { return nil }
            return Case(
                name: o["name"]?.stringValue ?? "?", template: o["template"]?.stringValue ?? "",
                expected: o["expected"]?.stringValue, error: o["error"]?.stringValue, vars: o["vars"] ?? .null)
        }
    }

    static let cases = load("sprig-cases.jsonl") + load("sprig-cases-helm-differs.jsonl")
    static let errorCases = load("sprig-cases-helm-errors.jsonl")

    static func render(_ c: Case) throws -> String {
        var set = TemplateSet(name: "gotpl", functions: TemplateFunctionTable(Sprig.functions()), options: TemplateOptions(missingKey: .zero))
        try set.parse("{{$ = .Values.v}}{{range list .Values.v}}" + c.template + "{{end}}", name: "c/templates/case")
        let values: TemplateValue = .map(["v": c.vars.isNull ? .map([:]) : c.vars])
        let out = try set.execute("c/templates/case", data: .map(["Values": values]))
        return out.replacingOccurrences(of: "<no value>", with: "")
    }

    @Test("the case files are present")
    func filesPresent() {
        if Self.cases.isEmpty {
            print("skipping: \(Self.directory)/sprig-cases.jsonl not found (run from the repository root with ../shared)")
        } else {
            #expect(Self.cases.count >= 338 + 9)
            #expect(Self.errorCases.count >= 8)
        }
    }

    @Test("every Sprig case renders exactly as Helm does", arguments: cases)
    func renders(_ c: Case) throws {
        let expected = try #require(c.expected)
        let check = {
            do {
                let out = try Self.render(c)
                #expect(out == expected, "\(c.name): \(c.template)")
            } catch {
                Issue.record("\(c.name): \(c.template) failed: \(error)")
            }
        }
        // A listed case still runs: when it starts passing, the missing known issue fails the
        // test, so the list only shrinks.
        if Self.knownFailures.contains(c.name) {
            withKnownIssue("listed in knownFailures") { check() }
        } else {
            check()
        }
    }

    @Test("every case Helm refuses fails", arguments: errorCases)
    func fails(_ c: Case) throws {
        guard !Self.knownFailures.contains(c.name) else { return }
        #expect(throws: (any Error).self, "\(c.name): \(c.template)") { try Self.render(c) }
    }
}
