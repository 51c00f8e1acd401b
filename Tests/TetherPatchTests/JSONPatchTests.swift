import Testing
import TetherModel
import TetherPatch

/// RFC 6902 appendix A, one case per example (A.13, a document with a
/// duplicate "op" member, is a JSON parsing matter and is left to the
/// decoder).
@Suite("JSON patch (RFC 6902)")
struct JSONPatchTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var document: Value
        var patch: Value
        /// `nil` when the patch must fail.
        var expected: Value?
        var testDescription: String { name }
    }

    static let appendixA: [Case] = [
        Case(name: "A.1 adding an object member", document: ["foo": "bar"],
             patch: [["op": "add", "path": "/baz", "value": "qux"]], expected: ["baz": "qux", "foo": "bar"]),
        Case(name: "A.2 adding an array element", document: ["foo": ["bar", "baz"]],
             patch: [["op": "add", "path": "/foo/1", "value": "qux"]], expected: ["foo": ["bar", "qux", "baz"]]),
        Case(name: "A.3 removing an object member", document: ["baz": "qux", "foo": "bar"],
             patch: [["op": "remove", "path": "/baz"]], expected: ["foo": "bar"]),
        Case(name: "A.4 removing an array element", document: ["foo": ["bar", "qux", "baz"]],
             patch: [["op": "remove", "path": "/foo/1"]], expected: ["foo": ["bar", "baz"]]),
        Case(name: "A.5 replacing a value", document: ["baz": "qux", "foo": "bar"],
             patch: [["op": "replace", "path": "/baz", "value": "boo"]], expected: ["baz": "boo", "foo": "bar"]),
        Case(name: "A.6 moving a value", document: ["foo": ["bar": "baz", "waldo": "fred"], "qux": ["corge": "grault"]],
             patch: [["op": "move", "from": "/foo/waldo", "path": "/qux/thud"]],
             expected: ["foo": ["bar": "baz"], "qux": ["corge": "grault", "thud": "fred"]]),
        Case(name: "A.7 moving an array element", document: ["foo": ["all", "grass", "cows", "eat"]],
             patch: [["op": "move", "from": "/foo/1", "path": "/foo/3"]], expected: ["foo": ["all", "cows", "eat", "grass"]]),
        Case(name: "A.8 testing a value: success", document: ["baz": "qux", "foo": ["a", 2, "c"]],
             patch: [["op": "test", "path": "/baz", "value": "qux"], ["op": "test", "path": "/foo/1", "value": 2]],
             expected: ["baz": "qux", "foo": ["a", 2, "c"]]),
        Case(name: "A.9 testing a value: error", document: ["baz": "qux"],
             patch: [["op": "test", "path": "/baz", "value": "bar"]], expected: nil),
        Case(name: "A.10 adding a nested member object", document: ["foo": "bar"],
             patch: [["op": "add", "path": "/child", "value": ["grandchild": [:]]]],
             expected: ["foo": "bar", "child": ["grandchild": [:]]]),
        Case(name: "A.11 ignoring unrecognized elements", document: ["foo": "bar"],
             patch: [["op": "add", "path": "/baz", "value": "qux", "xyz": 123]], expected: ["foo": "bar", "baz": "qux"]),
        Case(name: "A.12 adding to a nonexistent target", document: ["foo": "bar"],
             patch: [["op": "add", "path": "/baz/bat", "value": "qux"]], expected: nil),
        Case(name: "A.14 ~ escape ordering", document: ["/": 9, "~1": 10],
             patch: [["op": "test", "path": "/~01", "value": 10]], expected: ["/": 9, "~1": 10]),
        Case(name: "A.15 comparing strings and numbers", document: ["/": 9, "~1": 10],
             patch: [["op": "test", "path": "/~01", "value": "10"]], expected: nil),
        Case(name: "A.16 adding an array value", document: ["foo": ["bar"]],
             patch: [["op": "add", "path": "/foo/-", "value": ["abc", "def"]]], expected: ["foo": ["bar", ["abc", "def"]]]),
    ]

    static let more: [Case] = [
        Case(name: "copy duplicates a value", document: ["a": ["x": 1]],
             patch: [["op": "copy", "from": "/a", "path": "/b"]], expected: ["a": ["x": 1], "b": ["x": 1]]),
        Case(name: "replace the whole document", document: ["a": 1],
             patch: [["op": "replace", "path": "", "value": [1, 2]]], expected: [1, 2]),
        Case(name: "replace of a missing key fails", document: ["a": 1],
             patch: [["op": "replace", "path": "/b", "value": 2]], expected: nil),
        Case(name: "remove of a missing index fails", document: ["a": [1]],
             patch: [["op": "remove", "path": "/a/1"]], expected: nil),
        Case(name: "leading zero index is invalid", document: ["a": [1, 2]],
             patch: [["op": "remove", "path": "/a/01"]], expected: nil),
        Case(name: "move into own child fails", document: ["a": ["b": 1]],
             patch: [["op": "move", "from": "/a", "path": "/a/b/c"]], expected: nil),
        Case(name: "add at end index appends", document: ["a": [1]],
             patch: [["op": "add", "path": "/a/1", "value": 2]], expected: ["a": [1, 2]]),
        Case(name: "test compares maps regardless of key order", document: ["a": ["x": 1, "y": 2]],
             patch: [["op": "test", "path": "/a", "value": ["y": 2, "x": 1]]], expected: ["a": ["x": 1, "y": 2]]),
        Case(name: "operations are all or nothing", document: ["a": 1],
             patch: [["op": "add", "path": "/b", "value": 2], ["op": "test", "path": "/a", "value": 3]], expected: nil),
        Case(name: "kubernetes label key with slash", document: ["metadata": ["labels": ["app.kubernetes.io/name": "web"]]],
             patch: [["op": "replace", "path": "/metadata/labels/app.kubernetes.io~1name", "value": "api"]],
             expected: ["metadata": ["labels": ["app.kubernetes.io/name": "api"]]]),
    ]

    @Test("RFC 6902 appendix A", arguments: appendixA)
    func rfcExample(_ c: Case) throws {
        try check(c)
    }

    @Test("edge cases", arguments: more)
    func edgeCase(_ c: Case) throws {
        try check(c)
    }

    private func check(_ c: Case) throws {
        let patch = try JSONPatch(operations: c.patch)
        if let expected = c.expected {
            #expect(try patch.apply(to: c.document) == expected)
        } else {
            #expect(throws: PatchError.self) { try patch.apply(to: c.document) }
        }
    }

    @Test("malformed operations are rejected with their index")
    func malformed() {
        let error = #expect(throws: PatchError.self) {
            try JSONPatch(operations: [["op": "add", "path": "/a", "value": 1], ["op": "frobnicate", "path": "/a"]])
        }
        #expect(error?.path == "[1]")
        #expect(throws: PatchError.self) { try JSONPatch(operations: ["op": "add"]) }
        #expect(throws: PatchError.self) { try JSONPatch(operations: [["op": "add", "path": "/a"]]) }
        #expect(throws: PatchError.self) { try JSONPatch(operations: [["op": "add", "path": "a", "value": 1]]) }
    }

    @Test("JSON pointers unescape ~1 before ~0")
    func pointer() throws {
        #expect(try JSONPointer("/a~1b/c~0d/~01").tokens == ["a/b", "c~d", "~1"])
        #expect(try JSONPointer("").tokens == [])
        #expect(try JSONPointer("/a~1b/c~0d").description == "/a~1b/c~0d")
        #expect(throws: ModelError.self) { try JSONPointer("/a~2") }
        // In a patch the pointer's error is the patch's, at the pointer.
        let error = #expect(throws: PatchError.self) { try JSONPatch(operations: [["op": "remove", "path": "a"]]) }
        #expect(error.map { "\($0)" }?.contains("must be empty or start with") == true, "\(String(describing: error))")
    }
}
