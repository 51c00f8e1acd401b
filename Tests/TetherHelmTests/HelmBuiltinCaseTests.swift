import Foundation
import Testing
import TetherModel
import TetherTemplate
@testable import TetherHelm

/// The hand-written Helm built-in cases (`../shared/helm/helm-cases.jsonl`, each Helm v4's
/// output), rendered through the whole engine as Helm's check rendered them: a chart `c`
/// (`apiVersion: v2`, version 0.1.0) whose `templates/case` is the template (wrapped as
/// `{{$ = .Values.v}}{{range list .Values.v}}TEMPLATE{{end}}` unless `root`), the case's
/// `helpers` as `templates/_helpers.tpl`, values `{"v": vars}`, release `rel` in `ns`.
@Suite("Helm built-in cases")
struct HelmBuiltinCaseTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var template: String
        var helpers: String?
        var root: Bool
        var expected: String?
        var error: String?
        var vars: TemplateValue
        var description: String { name }
    }

    /// Cases we know we get wrong, with the reason; a fixed case fails the list.
    static let knownFailures: Set<String> = [
        // error texts: ours name the decoder's position and wording, Helm prints libyaml's / Go json's
        "helm/fromYaml/error",
        "helm/fromJson/error",
        // fromToml not written yet
        "helm/fromToml/map",
        "helm/fromToml/error",
    ]

    static let cases: [Case] = {
        guard let text = try? String(contentsOf: HelmCorpus.root.appendingPathComponent("helm-cases.jsonl"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line -> Case? in
            guard case .map(let o, _)? = try? SprigJSON.decode(String(line)) else { return nil }
            return Case(
                name: o["name"]?.stringValue ?? "?", template: o["template"]?.stringValue ?? "",
                helpers: o["helpers"]?.stringValue, root: o["root"].map { $0.isTruthy } ?? false,
                expected: o["expected"]?.stringValue, error: o["error"]?.stringValue, vars: o["vars"] ?? .null)
        }
    }()

    static func render(_ c: Case) throws -> String {
        var templates = ["templates/case": c.root ? c.template : "{{$ = .Values.v}}{{range list .Values.v}}" + c.template + "{{end}}"]
        if let helpers = c.helpers { templates["templates/_helpers.tpl"] = helpers }
        let metadata = try YAMLDecoder().decode("apiVersion: v2\nname: c\nversion: 0.1.0\n", file: "Chart.yaml")[0].value
        let chart = Chart(metadata: metadata, templates: templates)
        let engine = HelmEngine(release: .init(name: "rel", namespace: "ns"))
        let rendered = try engine.render(chart, values: ["v": c.vars.isNull ? .map([:]) : c.vars])
        return rendered["c/templates/case"] ?? ""
    }

    @Test("the case file is present", .enabled(if: HelmCorpus.isPresent, "../shared/helm is absent"))
    func filePresent() {
        #expect(Self.cases.count == 118)
    }

    @Test("every built-in case renders (or fails) exactly as Helm does", arguments: cases)
    func renders(_ c: Case) {
        let check = {
            do {
                let out = try Self.render(c)
                if let error = c.error {
                    Issue.record("\(c.name): rendered \(out.debugDescription), Helm fails with \(error)")
                } else {
                    #expect(out == c.expected, "\(c.name): \(c.template)")
                }
            } catch let error as HelmError {
                if let expected = c.error {
                    #expect("HelmRenderError: " + error.message == expected, "\(c.name)")
                } else {
                    Issue.record("\(c.name): \(c.template) failed: \(error)")
                }
            } catch {
                Issue.record("\(c.name): unexpected \(error)")
            }
        }
        if Self.knownFailures.contains(c.name) {
            withKnownIssue("listed in knownFailures") { check() }
        } else {
            check()
        }
    }
}
