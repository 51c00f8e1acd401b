import Testing
@testable import TetherTemplate

/// A host object the way Helm's `.Chart` or `.Files` would be supplied.
private struct Chart: TemplateObject {
    var name: String
    var typeName: String { "*chart.Metadata" }
    func member(named member: String) -> TemplateMember? {
        switch member {
        case "Name": return .field(.string(name))
        case "Get":
            return .method(TemplateFunction([.string]) { args, _ in .string("file:" + (args[0].stringValue ?? "")) })
        case "Nested": return .field(.map(["Major": .string("1")]))
        default: return nil
        }
    }
    var formatted: String { "&{\(name)}" }
}

@Suite("TetherTemplate engine")
struct EngineTests {
    private func render(_ text: String, _ data: TemplateValue = .map([:]), functions: [String: TemplateFunction] = [:],
                        options: TemplateOptions = TemplateOptions()) throws -> String {
        var set = TemplateSet(name: "gotpl", functions: TemplateFunctionTable(functions), options: options)
        try set.parse(text, name: "t")
        return try set.execute("t", data: data)
    }

    private func error(_ text: String, _ data: TemplateValue = .map([:]), functions: [String: TemplateFunction] = [:],
                       options: TemplateOptions = TemplateOptions()) -> TemplateError? {
        do {
            _ = try render(text, data, functions: functions, options: options)
            return nil
        } catch let e as TemplateError {
            return e
        } catch {
            return nil
        }
    }

    @Test("trim markers remove the white space next to them, and only that")
    func trimMarkers() throws {
        #expect(try render("a  \n {{- \"x\" -}} \n  b") == "axb")
        #expect(try render("a {{ \"x\" -}}\n\n b") == "a xb")
        #expect(try render("a{{- /* c */ -}}   b") == "ab")
        // "{{-3}}" is the number -3, not a trim marker: the marker needs a space after it.
        #expect(try render("x {{-3}}") == "x -3")
    }

    @Test("lexer errors carry Go's message and the line")
    func lexerErrors() {
        #expect(error("a\n{{ .X")?.description == "template: t:2: unclosed action")
        #expect(error("{{ \"abc }}")?.description == "template: t:1: unterminated quoted string")
        #expect(error("{{ 3k }}")?.description == "template: t:1: bad number syntax: \"3k\"")
        #expect(error("{{/* x */ }}")?.description == "template: t:1: comment ends before closing delimiter")
        #expect(error("{{ # }}")?.description == "template: t:1: unexpected \"#\" in command")
        #expect(error("{{ nofunc 1 }}")?.description == "template: t:1: function \"nofunc\" not defined")
        #expect(error("{{ 9223372036854775808 }}")?.description
            == "template: t:1:3: executing \"t\" at <9223372036854775808>: 9223372036854775808 overflows int")
    }

    @Test("Go's float formatting for %v: shortest digits, exponent from 1e+21 and below 1e-4")
    func floats() {
        #expect(GoFormat.string(.float(1_000_000)) == "1e+06")
        #expect(GoFormat.string(.float(123_456)) == "123456")
        #expect(GoFormat.string(.float(1.5)) == "1.5")
        #expect(GoFormat.string(.float(0.0001)) == "0.0001")
        #expect(GoFormat.string(.float(0.00001)) == "1e-05")
        #expect(GoFormat.string(.float(1.2345678901234567e19)) == "1.2345678901234567e+19")
        #expect(GoFormat.shortestFloat(1e21) == "1e+21")
        #expect(GoFormat.sprintf("%.2f|%8.3f|%-6.1f|%e|%g", [.float(3.14159), .float(-2.5), .float(1), .float(1234.5678), .float(1e-7)])
            == "3.14|  -2.500|1.0   |1.234568e+03|1e-07")
        #expect(GoFormat.sprintf("%d %s", [.float(3), .float(3)]) == "%!d(float64=3) %!s(float64=3)")
        #expect(GoFormat.sprintf("%d", [.int(1), .string("x")]) == "1%!(EXTRA string=x)")
        #expect(GoFormat.sprintf("%d %v", [.int(1)]) == "1 %!v(MISSING)")
    }

    @Test("execution errors name template, line, column (0-based byte) and action")
    func errorPositions() throws {
        let e = try #require(error("line1\n  {{ .a.b }}", .map(["a": .string("x")])))
        #expect(e.templateName == "t")
        #expect(e.line == 2)
        // The field chain .a.b sits where its second field starts, as in Go.
        #expect(e.column == 7)
        #expect(e.executing == "t")
        #expect(e.action == ".a.b")
        #expect(e.description == "template: t:2:7: executing \"t\" at <.a.b>: can't evaluate field b in type interface {}")
    }

    @Test("missingkey: no value by default, zero makes a field of it fail, error stops at once")
    func missingKey() {
        #expect((try? render("{{ .a }}|{{ .a.b }}")) == "<no value>|<no value>")
        #expect((try? render("{{ .a }}", options: TemplateOptions(missingKey: .zero))) == "<no value>")
        #expect(error("{{ .a.b }}", options: TemplateOptions(missingKey: .zero))?.message == "nil pointer evaluating interface {}.b")
        #expect(error("{{ .a }}", options: TemplateOptions(missingKey: .error))?.message == "map has no entry for key \"a\"")
    }

    @Test("range over an integer, with break and continue")
    func rangeInt() throws {
        #expect(try render("{{ range 5 }}{{ if eq . 3 }}{{ break }}{{ end }}{{ if eq . 1 }}{{ continue }}{{ end }}{{ . }}{{ end }}") == "02")
        #expect(try render("{{ range $i := 3 }}{{ $i }}{{ end }}") == "012")
        #expect(error("{{ range $i, $v := 3 }}{{ end }}")?.message == "can't use 3 to iterate over more than one variable")
        #expect(error("{{ range . }}{{ end }}", .float(3))?.message == "range can't iterate over 3")
    }

    @Test("host objects: fields, methods with arguments, chains, and Go's errors")
    func objects() throws {
        let data = TemplateValue.map(["Chart": .object(Chart(name: "web"))])
        #expect(try render("{{ .Chart.Name }} {{ .Chart.Get \"a.txt\" }} {{ .Chart.Nested.Major }} {{ .Chart }}", data)
            == "web file:a.txt 1 &{web}")
        // Inside a map[string]interface{} the static type is interface {}, as Go reports it.
        #expect(error("{{ .Chart.Nope }}", data)?.message == "can't evaluate field Nope in type interface {}")
        #expect(error("{{ .Nope }}", .object(Chart(name: "web")))?.message == "can't evaluate field Nope in type *chart.Metadata")
        #expect(error("{{ .Chart.Name 1 }}", data)?.message == "Name has arguments but cannot be invoked as function")
        #expect(error("{{ .Chart.Get 1 }}", data)?.message == "expected string; found 1")
        #expect(error("{{ .Chart.Get }}", data)?.message == "wrong number of args for Get: want 1 got 0")
    }

    @Test("typed parameters convert constants and refuse wrong values, as Go's reflect call does")
    func typedParameters() throws {
        let trunc = TemplateFunction([.int, .string]) { args, _ in
            guard case .int(let n, _) = args[0], let s = args[1].stringValue else { return .null }
            return .string(String(s.prefix(Int(n))))
        }
        let functions = ["trunc": trunc]
        #expect(try render("{{ trunc 2 \"abc\" }} {{ \"abcd\" | trunc 3 }}", functions: functions) == "ab abc")
        #expect(error("{{ trunc .n \"abc\" }}", .map(["n": .float(2)]), functions: functions)?.message
            == "wrong type for value; expected int; got float64")
        #expect(error("{{ trunc 2 .missing }}", functions: functions)?.message == "invalid value; expected string")
        #expect(error("{{ trunc 2 .missing }}", functions: functions, options: TemplateOptions(missingKey: .zero))?.message
            == "wrong type for value; expected string; got interface {}")
        let failing = TemplateFunction([.any]) { _, _ in throw Builtins.Failure("boom") }
        let e = error("{{ fail 1 }}", functions: ["fail": failing])
        #expect(e?.code == .function)
        #expect(e?.description == "template: t:1:3: executing \"t\" at <fail 1>: error calling fail: boom")
    }

    @Test("functions can run named templates and new text of the executing set (include, tpl)")
    func includeAndTpl() throws {
        let include = TemplateFunction([.string, .any]) { args, context in
            .string(try context.execute(args[0].stringValue ?? "", data: args[1]))
        }
        let tpl = TemplateFunction([.string, .any]) { args, context in
            var copy = context.templates
            try copy.parse(args[0].stringValue ?? "", name: "tpl")
            return .string(try context.execute("tpl", data: args[1], in: copy))
        }
        var set = TemplateSet(functions: TemplateFunctionTable(["include": include, "tpl": tpl]))
        try set.parse(#"{{ define "name" }}<{{ .n }}>{{ end }}"#, name: "_helpers.tpl")
        try set.parse(#"{{ include "name" . | printf "%s!" }} {{ tpl "{{ include \"name\" . }}-{{ .n }}" . }}"#, name: "main")
        #expect(try set.execute("main", data: .map(["n": .string("x")])) == "<x>! <x>-x")
        #expect(!set.contains("tpl"))
        var broken = set
        try broken.parse(#"{{ include "name" 1 }}"#, name: "bad")
        #expect(throws: TemplateError.self) { try broken.execute("bad", data: .null) }
    }

    @Test("define: a later definition replaces, an empty one does not; the depth limit holds")
    func defines() throws {
        var set = TemplateSet()
        try set.parse(#"{{ define "a" }}one{{ end }}"#, name: "1")
        try set.parse(#"{{ define "a" }}two{{ end }}"#, name: "2")
        try set.parse(#"{{ define "a" }} {{ end }}"#, name: "3")
        try set.parse(#"{{ template "a" }}"#, name: "main")
        #expect(try set.execute("main", data: .null) == "two")
        #expect(throws: TemplateError.self) { try set.execute("nope", data: .null) }
        var loop = TemplateSet(options: TemplateOptions())
        loop.options.maxExecutionDepth = 50
        try loop.parse(#"{{ define "r" }}{{ template "r" }}{{ end }}{{ template "r" }}"#, name: "loop")
        #expect(throws: TemplateError.self) { try loop.execute("loop", data: .null) }
    }

    @Test("unbounded recursion and very deep nesting fail with an error instead of crashing")
    func deepNesting() throws {
        var set = TemplateSet()
        try set.parse(#"{{ define "r" }}{{ template "r" }}{{ end }}{{ template "r" }}"#, name: "loop")
        #expect(throws: TemplateError.self) { try set.execute("loop", data: .null) }
        let parens = "{{" + String(repeating: "(", count: 20000) + "1" + String(repeating: ")", count: 20000) + "}}"
        #expect(throws: TemplateError.self) { try set.parse(parens, name: "parens") }
    }

    @Test("custom delimiters")
    func delimiters() throws {
        #expect(try render("[[ .a ]] {{ .a }}", .map(["a": .int(1)]), options: TemplateOptions(leftDelimiter: "[[", rightDelimiter: "]]"))
            == "1 {{ .a }}")
    }

    @Test("values report Go's type names and kinds")
    func typeNames() {
        #expect(TemplateValue.int(1).typeName == "int")
        #expect(TemplateValue.int(1, .int64).typeName == "int64")
        #expect(TemplateValue.float(1).typeName == "float64")
        #expect(TemplateValue.list([]).typeName == "[]interface {}")
        #expect(TemplateValue.list([], .string).typeName == "[]string")
        #expect(TemplateValue.map([:]).typeName == "map[string]interface {}")
        #expect(TemplateValue.null.typeName == "<nil>")
        #expect(TemplateValue.list([]).kindName == "slice")
        #expect(TemplateValue.object(Chart(name: "x")).kindName == "ptr")
    }
}
