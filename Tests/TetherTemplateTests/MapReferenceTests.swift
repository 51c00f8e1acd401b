import Testing
@testable import TetherTemplate

/// Go maps are references: a function that changes a map it is given (Sprig's `set`) is seen
/// through every path to that map, and the data a template ran with keeps the change.
@Suite("maps are references, as in Go")
struct MapReferenceTests {
    /// `set` as Sprig defines it: assigns into the map and returns it; `dict` makes a new map.
    static let functions = TemplateFunctionTable([
        "set": TemplateFunction([.map(.any), .string, .any]) { a, _ in
            a[0].mapReference?.setValue(a[2], forKey: a[1].stringValue ?? "")
            return a[0]
        },
        "dict": TemplateFunction(variadic: .any) { a, _ in .map([:]) },
    ])

    static func run(_ text: String, data: TemplateValue = .map([:])) throws -> String {
        var templates = TemplateSet(functions: functions)
        try templates.parse(text, name: "t")
        return try templates.execute("t", data: data)
    }

    @Test("a change through a variable, a field of dot, or a field of $ is seen through the others")
    func aliases() throws {
        #expect(try Self.run(#"{{ $d := dict }}{{ $_ := set $d "a" 1 }}{{ $d.a }}"#) == "1")
        #expect(try Self.run(#"{{ $m := .m }}{{ $_ := set $m "a" 2 }}{{ .m.a }}{{ $.m.a }}"#, data: .map(["m": .map([:])])) == "22")
        #expect(try Self.run(#"{{ with .m }}{{ $_ := set . "a" 3 }}{{ end }}{{ .m.a }}"#, data: .map(["m": .map(["z": .bool(true)])])) == "3")
        #expect(try Self.run(#"{{ define "x" }}{{ $_ := set .m "a" 4 }}{{ end }}{{ template "x" . }}{{ .m.a }}"#,
                             data: .map(["m": .map([:])])) == "4")
    }

    @Test("maps inside a list are the same maps when ranged over; the list's length is unchanged")
    func rangeElements() throws {
        let data: TemplateValue = .map(["l": .list([.map([:]), .map([:])])])
        #expect(try Self.run(#"{{ range .l }}{{ $_ := set . "x" 1 }}{{ end }}{{ range .l }}{{ .x }}{{ end }}{{ len .l }}"#, data: data) == "112")
    }

    @Test("the caller's data keeps what the template changed; a new map is not an alias")
    func dataKeepsChanges() throws {
        let inner = TemplateMap()
        _ = try Self.run(#"{{ $_ := set .m "k" "v" }}{{ $n := dict }}{{ $_ := set $n "other" 1 }}"#, data: .map(["m": .map(inner, .any)]))
        #expect(inner["k"]?.stringValue == "v")
        #expect(inner["other"] == nil)
    }

    @Test("deepCopy gives maps that share nothing with the original")
    func deepCopy() {
        let nested = TemplateMap(["b": .string("1")])
        let original = TemplateValue.map(["a": .map(nested, .any), "l": .list([.map(nested, .any)])])
        let copy = original.deepCopy()
        nested.setValue(.string("2"), forKey: "b")
        #expect(copy.mapValue?["a"]?.mapValue?["b"]?.stringValue == "1")
        #expect(copy.mapValue?["l"]?.listValue?.first?.mapValue?["b"]?.stringValue == "1")
        #expect(original.mapValue?["a"]?.mapValue?["b"]?.stringValue == "2")
    }
}
