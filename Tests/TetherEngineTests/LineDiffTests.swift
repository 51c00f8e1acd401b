import Foundation
import Testing
@testable import TetherEngine
import TestSupport

@Suite("Line diff", .capturedLogs)
struct LineDiffTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var old: String
        var new: String
        var expected: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "equal texts print nothing", old: "a\nb\n", new: "a\nb\n", expected: ""),
        Case(name: "create: empty old range is -0,0", old: "", new: "a\nb\n",
             expected: "--- old\n+++ new\n@@ -0,0 +1,2 @@\n+a\n+b\n"),
        Case(name: "prune: empty new range is +0,0", old: "a\n", new: "",
             expected: "--- old\n+++ new\n@@ -1 +0,0 @@\n-a\n"),
        Case(name: "one changed line with three lines of context",
             old: "1\n2\n3\n4\n5\n6\n7\n8\n9\n", new: "1\n2\n3\n4\nfive\n6\n7\n8\n9\n",
             expected: "--- old\n+++ new\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"),
        Case(name: "changes seven lines apart get two hunks",
             old: "a\n1\n2\n3\n4\n5\n6\n7\nb\n", new: "A\n1\n2\n3\n4\n5\n6\n7\nB\n",
             expected: "--- old\n+++ new\n@@ -1,4 +1,4 @@\n-a\n+A\n 1\n 2\n 3\n@@ -6,4 +6,4 @@\n 5\n 6\n 7\n-b\n+B\n"),
        Case(name: "changes six lines apart share a hunk",
             old: "a\n1\n2\n3\n4\n5\n6\nb\n", new: "A\n1\n2\n3\n4\n5\n6\nB\n",
             expected: "--- old\n+++ new\n@@ -1,8 +1,8 @@\n-a\n+A\n 1\n 2\n 3\n 4\n 5\n 6\n-b\n+B\n"),
        Case(name: "missing newline at the end is marked",
             old: "a\nb", new: "a\nb\n",
             expected: "--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"),
        Case(name: "canonically equivalent lines still differ",
             old: "caf\u{E9}\n", new: "cafe\u{301}\n",
             expected: "--- old\n+++ new\n@@ -1 +1 @@\n-caf\u{E9}\n+cafe\u{301}\n"),
        Case(name: "CRLF lines keep their carriage return",
             old: "a\r\nb\r\n", new: "a\r\nc\r\n",
             expected: "--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n"),
    ]

    @Test("unified output", arguments: cases)
    func unified(_ c: Case) {
        #expect(LineDiff(old: c.old, new: c.new).unified(oldName: "old", newName: "new") == c.expected)
    }

    @Test("colour marks headers, ranges, deletions and insertions, and nothing else")
    func colour() {
        let text = LineDiff(old: "a\nb\nc\n", new: "a\nB\nc\n").unified(oldName: "live/x", newName: "merged/x",
                                                                      format: DiffFormat(color: true))
        let esc = "\u{1B}["
        #expect(text == "\(esc)1m--- live/x\(esc)0m\n\(esc)1m+++ merged/x\(esc)0m\n\(esc)36m@@ -1,3 +1,3 @@\(esc)0m\n a\n\(esc)31m-b\(esc)0m\n\(esc)32m+B\(esc)0m\n c\n")
    }

    @Test("colour follows the terminal and NO_COLOR")
    func colourChoice() {
        #expect(DiffFormat.forOutput(isTerminal: true, environment: [:]).color)
        #expect(!DiffFormat.forOutput(isTerminal: false, environment: [:]).color)
        #expect(!DiffFormat.forOutput(isTerminal: true, environment: ["NO_COLOR": "1"]).color)
        #expect(DiffFormat.forOutput(isTerminal: true, environment: ["NO_COLOR": ""]).color)
    }

    @Test("counts deleted and inserted lines")
    func counts() {
        let diff = LineDiff(old: "a\nb\nc\nd\n", new: "b\nx\ny\nd\n")
        #expect(diff.deletedCount == 2)
        #expect(diff.insertedCount == 2)
    }

    /// Random pairs compared with GNU `diff -u --minimal`: every line from the first `@@`
    /// on must be identical. Small alphabets make many equal-cost scripts, so this checks
    /// the boundary sliding as well as minimality; the edit model checks longer texts.
    /// Plain `diff -u` first discards lines that match nothing (a speed heuristic that
    /// picks among equal-cost scripts differently), so against it the check is that we
    /// never change more lines than it does.
    @Test("same hunks as GNU diff -u --minimal on random pairs", .enabled(if: LineDiffTests.hasGNUDiff))
    func matchesGNUDiff() throws {
        var rng = SplitMix64(seed: 0x7E7E_2026)
        var pairs: [(String, String)] = []
        for n in 0..<400 {
            pairs.append(n % 3 == 2 ? Self.editedPair(&rng) : Self.smallAlphabetPair(&rng))
        }
        let minimal = try Self.gnuDiffs(pairs, options: "-u --minimal")
        let plain = try Self.gnuDiffs(pairs, options: "-u")
        var mismatches = 0
        for (index, (old, new)) in pairs.enumerated() {
            let diff = LineDiff(old: old, new: new)
            var ours = ""
            diff.appendHunks(to: &ours)
            if ours != minimal[index] {
                mismatches += 1
                if mismatches <= 3 {
                    Issue.record("pair \(index) differs from diff -u --minimal\nold: \(old.debugDescription)\nnew: \(new.debugDescription)\nours:\n\(ours)\ndiff:\n\(minimal[index])")
                }
            }
            let changed = plain[index].split(separator: "\n", omittingEmptySubsequences: false)
                .filter { $0.hasPrefix("-") || $0.hasPrefix("+") }.count
            #expect(diff.deletedCount + diff.insertedCount <= changed, "pair \(index)")
        }
        #expect(mismatches == 0)
        #expect(plain.filter { !$0.isEmpty }.count > 300)
    }

    static let hasGNUDiff: Bool = {
        guard let output = try? run(["diff", "--version"]) else { return false }
        return output.contains("GNU diffutils")
    }()

    static func smallAlphabetPair(_ rng: inout SplitMix64) -> (String, String) {
        func text() -> String {
            let count = Int(rng.next() % 25)
            var s = ""
            for _ in 0..<count { s += ["a", "b", "c", "d", "  x: 1"][Int(rng.next() % 5)] + "\n" }
            if !s.isEmpty, rng.next() % 8 == 0 { s.removeLast() }
            return s
        }
        return (text(), text())
    }

    /// A YAML-like text of up to 300 lines with repeated lines, and a copy with random
    /// line deletions, insertions and replacements.
    static func editedPair(_ rng: inout SplitMix64) -> (String, String) {
        let vocabulary = ["  name: web", "  labels:", "    app: web", "  - name: c", "spec:", "  replicas: 3",
                          "---", "", "    image: nginx:1.27", "  ports:"]
        let count = 20 + Int(rng.next() % 280)
        var old: [String] = []
        for _ in 0..<count {
            old.append(rng.next() % 3 == 0 ? "line \(rng.next() % 1000)" : vocabulary[Int(rng.next() % UInt64(vocabulary.count))])
        }
        var new = old
        let edits = Int(rng.next() % 12)
        for _ in 0..<edits where !new.isEmpty {
            let at = Int(rng.next() % UInt64(new.count))
            switch rng.next() % 3 {
            case 0: new.remove(at: at)
            case 1: new.insert(vocabulary[Int(rng.next() % UInt64(vocabulary.count))], at: at)
            default: new[at] = "changed \(rng.next() % 50)"
            }
        }
        return (old.map { $0 + "\n" }.joined(), new.map { $0 + "\n" }.joined())
    }

    /// Runs `diff OPTIONS` once per pair (one shell for all of them) and returns each output
    /// from its first `@@` line on.
    static func gnuDiffs(_ pairs: [(String, String)], options: String) throws -> [String] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("linediff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (index, (old, new)) in pairs.enumerated() {
            try Data(old.utf8).write(to: dir.appendingPathComponent("\(index).a"))
            try Data(new.utf8).write(to: dir.appendingPathComponent("\(index).b"))
        }
        let script = "cd \"$1\" && i=0; while [ $i -lt \(pairs.count) ]; do diff \(options) $i.a $i.b > $i.out; i=$((i+1)); done; exit 0"
        _ = try run(["sh", "-c", script, "sh", dir.path])
        return try (0..<pairs.count).map { index in
            let text = try String(contentsOf: dir.appendingPathComponent("\(index).out"), encoding: .utf8)
            guard let at = text.range(of: "\n@@") else { return "" }
            return String(text[text.index(after: at.lowerBound)...])
        }
    }

    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

/// A small seeded generator so random cases repeat from run to run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
