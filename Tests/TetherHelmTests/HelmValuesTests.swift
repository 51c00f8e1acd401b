import Testing
import TetherTemplate
@testable import TetherHelm

@Suite("Helm values: reading, merging, coalescing")
struct HelmValuesTests {
    @Test("numbers are float64 and YAML 1.1 booleans hold")
    func reading() throws {
        let values = try HelmValues.parse("num: 1000000\nb: yes\ns: x\nl: [1]\n", file: "values.yaml")
        #expect(values["num"]?.typeName == "float64")
        #expect(GoFormat.string(values["num"]!) == "1e+06")
        #expect(values["b"]?.isTruthy == true && values["b"]?.typeName == "bool")
        #expect(values["l"]?.typeName == "[]interface {}")
        #expect(try HelmValues.parse("", file: "empty.yaml").isEmpty)
    }

    @Test("number and boolean keys become the strings sigs.k8s.io/yaml makes of them (YAML → JSON)")
    func scalarKeys() throws {
        let values = try HelmValues.parse(
            "y: 1\n10: a\n0x10: b\n1.5: c\n1e6: d\n0.1: e\n.inf: f\nno: g\nm:\n  50: [x]\n", file: "values.yaml")
        #expect(values.keys.sorted() == ["0.1", "1.5", "10", "16", "1e+06", ".inf", "false", "m", "true"].sorted())
        guard case .map(let m, _)? = values["m"] else { Issue.record("m is not a map"); return }
        #expect(m.keys.sorted() == ["50"])
        #expect(throws: HelmError.self) { try HelmValues.parse("~: 1\n", file: "values.yaml") }
    }

    @Test("a repeated key: the later value wins, as Helm's non-strict reader does")
    func duplicateKeys() throws {
        let values = try HelmValues.parse("a: 1\na: 2\n", file: "values.yaml")
        #expect(GoFormat.string(values["a"]!) == "2")
    }

    @Test("a non-map values file names the file")
    func badFile() {
        #expect(throws: HelmError.self) { try HelmValues.parse("- a\n", file: "bad.yaml") }
    }

    @Test("later files win, maps merge, null deletes a chart key, nested user nulls vanish")
    func coalescing() throws {
        let chart = try HelmValues.parse("a: 1\nkeep: null\nm:\n  x: 1\n  q: 2\ngone: 3\n", file: "values.yaml")
        let first = try HelmValues.parse("m:\n  x: 5\n  z: null\n", file: "a.yaml")
        let second = try HelmValues.parse("m:\n  q: null\ngone: null\nnew: null\n", file: "b.yaml")
        let values = HelmValues.coalesced(HelmValues.merged(first, with: second), over: chart)
        #expect(values["gone"] == nil)
        #expect(values["keep"]?.isNull == true)
        #expect(values["new"]?.isNull == true)  // top level, not a chart key: Helm keeps it
        guard case .map(let m, _)? = values["m"] else { Issue.record("m is not a map"); return }
        #expect(m.keys.sorted() == ["x"])
        #expect(GoFormat.string(m["x"]!) == "5")
    }
}
