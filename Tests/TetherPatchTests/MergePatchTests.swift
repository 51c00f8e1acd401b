import Testing
import TetherModel
import TetherPatch

@Suite("JSON merge patch (RFC 7386)")
struct MergePatchTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var original: Value
        var patch: Value
        var expected: Value
        var testDescription: String { name }
    }

    /// RFC 7386 appendix A, in order.
    static let appendixA: [Case] = [
        Case(name: "replace a member", original: ["a": "b"], patch: ["a": "c"], expected: ["a": "c"]),
        Case(name: "add a member", original: ["a": "b"], patch: ["b": "c"], expected: ["a": "b", "b": "c"]),
        Case(name: "null removes the only member", original: ["a": "b"], patch: ["a": nil], expected: [:]),
        Case(name: "null removes one member", original: ["a": "b", "b": "c"], patch: ["a": nil], expected: ["b": "c"]),
        Case(name: "scalar replaces list", original: ["a": ["b"]], patch: ["a": "c"], expected: ["a": "c"]),
        Case(name: "list replaces scalar", original: ["a": "c"], patch: ["a": ["b"]], expected: ["a": ["b"]]),
        Case(name: "nested merge with removal", original: ["a": ["b": "c"]], patch: ["a": ["b": "d", "c": nil]], expected: ["a": ["b": "d"]]),
        Case(name: "list of maps replaced", original: ["a": [["b": "c"]]], patch: ["a": [1]], expected: ["a": [1]]),
        Case(name: "list replaces list", original: ["a", "b"], patch: ["c", "d"], expected: ["c", "d"]),
        Case(name: "list replaces map", original: ["a": "b"], patch: ["c"], expected: ["c"]),
        Case(name: "null replaces document", original: ["a": "foo"], patch: nil, expected: nil),
        Case(name: "string replaces document", original: ["a": "foo"], patch: "bar", expected: "bar"),
        Case(name: "existing null is kept", original: ["e": nil], patch: ["a": 1], expected: ["e": nil, "a": 1]),
        Case(name: "map replaces list, nulls dropped", original: [1, 2], patch: ["a": "b", "c": nil], expected: ["a": "b"]),
        Case(name: "nulls inside new members are dropped", original: [:], patch: ["a": ["bb": ["ccc": nil]]], expected: ["a": ["bb": [:]]]),
    ]

    @Test("RFC 7386 appendix A", arguments: appendixA)
    func rfcExample(_ c: Case) {
        #expect(MergePatch.apply(c.patch, to: c.original) == c.expected)
    }
}
