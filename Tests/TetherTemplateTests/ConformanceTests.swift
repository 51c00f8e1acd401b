#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import TetherTemplate

/// Go's own `text/template` test cases (exec_test.go), each confirmed by Helm v4 through its
/// SDK, from `../shared/helm/template-cases*.jsonl`. Every case runs the way Helm's check ran
/// it: the template wrapped as `{{$ = .Values.v}}{{range list .Values.v}}TEMPLATE{{end}}` in
/// `c/templates/case` with `missingkey=zero`, `.Values.v` = the case's vars (JSON numbers are
/// float64), and `<no value>` removed from the output. So positions in error messages match.
@Suite("Go text/template conformance cases")
struct ConformanceTests {
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
        guard let handle = fopen("\(directory)/\(file)", "r") else { return [] }
        defer { fclose(handle) }
        var cases: [Case] = []
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        while getline(&line, &capacity, handle) > 0 {
            guard let line else { break }
            let text = String(cString: line)
            guard let object = try? JSONReader.object(text) else { continue }
            cases.append(Case(
                name: object["name"]?.stringValue ?? "?",
                template: object["template"]?.stringValue ?? "",
                expected: object["expected"]?.stringValue,
                error: object["error"]?.stringValue,
                vars: object["vars"] ?? .null))
        }
        free(line)
        return cases
    }

    static let cases = load("template-cases.jsonl") + load("template-cases-helm-differs.jsonl")
    static let errorCases = load("template-cases-helm-errors.jsonl")

    /// Functions Go's exec_test.go harness defines (registered here only, as Go's test does).
    static let testFunctions = TemplateFunctionTable([
        "typeOf": TemplateFunction([.any]) { args, _ in .string(args[0].typeName) },
        "add": TemplateFunction([.int, .int]) { args, _ in
            guard case .int(let a, _) = args[0], case .int(let b, _) = args[1] else { return .null }
            return .int(a + b)
        },
        "list": TemplateFunction(variadic: .any) { args, _ in .list(args) },
    ])

    static func render(_ c: Case) throws -> String {
        var set = TemplateSet(name: "gotpl", functions: testFunctions, options: TemplateOptions(missingKey: .zero))
        let text = "{{$ = .Values.v}}{{range list .Values.v}}" + c.template + "{{end}}"
        try set.parse(text, name: "c/templates/case")
        // vars null: the generator used an empty map (Sprig's runt runs on one).
        let values: TemplateValue = .map(["v": c.vars.isNull ? .map([:]) : c.vars])
        let out = try set.execute("c/templates/case", data: .map(["Values": values]))
        return out.replacingOccurrences(of: "<no value>", with: "")
    }

    @Test("the conformance files are present")
    func filesPresent() {
        if Self.cases.isEmpty {
            print("skipping: \(Self.directory)/template-cases.jsonl not found (run from the repository root with ../shared)")
        } else {
            #expect(Self.cases.count >= 288)
        }
    }

    @Test("every template case renders exactly as Helm does", arguments: cases)
    func renders(_ c: Case) throws {
        guard !Self.knownFailures.contains(c.name) else { return }
        let expected = try #require(c.expected)
        let out: String
        do {
            out = try Self.render(c)
        } catch {
            Issue.record("\(c.name): \(c.template) failed: \(error)")
            return
        }
        #expect(out == expected, "\(c.name): \(c.template)")
    }

    @Test("every case Helm refuses fails, with Go's message", arguments: errorCases)
    func fails(_ c: Case) throws {
        let message = try #require(c.error)
        do {
            let out = try Self.render(c)
            Issue.record("\(c.name): expected an error, got \(out)")
        } catch let error as TemplateError {
            // Helm prefixes "HelmRenderError: " and, for some errors, rewrites Go's prefix
            // ("template: X:1:2: executing" -> "X:1:2 executing"); compare Go's parts.
            let go = error.description
            let helm = message.replacingOccurrences(of: "HelmRenderError: ", with: "")
            let rewritten = "\(error.templateName):\(error.line ?? 0):\(error.column ?? 0) executing \"\(error.executing ?? "")\" at <\(error.action ?? "")>: \(error.message)"
            #expect(go == helm || rewritten == helm, "\(c.name): \(go)")
        }
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
        }
        out += rest
        return out
    }
}
