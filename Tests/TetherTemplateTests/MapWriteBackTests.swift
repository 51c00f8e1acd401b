import Foundation
import Testing
@testable import TetherTemplate

/// Go maps are shared: `set $d "k" v` changes `$d` for later actions. The engine's maps are
/// values, so a function marked `mutatesFirstArgument` has its result stored back.
@Suite("mutating functions write back into variables and dot")
struct MapWriteBackTests {
    static func run(_ text: String, data: TemplateValue = .map([:])) throws -> String {
        var set = TemplateFunction([.map(.any), .string, .any]) { a, _ in
            var d = a[0].mapValue ?? [:]
            d[a[1].stringValue ?? ""] = a[2]
            return .map(d)
        }
        set.mutatesFirstArgument = true
        let plain = TemplateFunction([.map(.any), .string, .any]) { a, _ in a[0] }
        var templates = TemplateSet(functions: TemplateFunctionTable(["set": set, "plain": plain]))
        try templates.parse(text, name: "t")
        return try templates.execute("t", data: data)
    }

    @Test("a variable, a variable's field path, and a field of dot see the change")
    func writeBack() throws {
        #expect(try Self.run(#"{{ $d := dict }}{{ $_ := set $d "a" 1 }}{{ $d.a }}"#.replacingDict()) == "1")
        #expect(try Self.run(#"{{ $_ := set $.m "a" 2 }}{{ $.m.a }}"#, data: .map(["m": .map([:])])) == "2")
        #expect(try Self.run(#"{{ $_ := set .m "a" 3 }}{{ if true }}{{ .m.a }}{{ end }}"#, data: .map(["m": .map([:])])) == "3")
    }

    @Test("a function not marked mutating changes nothing, and a range body's dot does not leak")
    func scoped() throws {
        #expect(try Self.run(#"{{ $_ := plain .m "a" 1 }}{{ .m.a }}"#, data: .map(["m": .map([:])])) == "<no value>")
        let data: TemplateValue = .map(["l": .list([.map([:]), .map([:])])])
        #expect(try Self.run(#"{{ range .l }}{{ $_ := set . "x" 1 }}{{ .x }}{{ end }}{{ len .l }}"#, data: data) == "112")
    }
}

private extension String {
    /// The tests have no `dict`; start from the data's empty map instead.
    func replacingDict() -> String { replacingOccurrences(of: "$d := dict", with: "$d := .") }
}
