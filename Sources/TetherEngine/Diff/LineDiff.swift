/// A line-by-line difference between two texts, grouped into unified-diff hunks.
///
/// The edit script is minimal (Myers' O((N+M)D) algorithm, in linear space with the
/// middle-snake split), and runs of changes are then slid to the same place GNU diff
/// slides them (merged with neighbouring runs where possible, otherwise as far down as
/// they go, lined up with a change in the other text when one is there), so that
/// `unified(...)` prints the same hunks as `diff -u` for the same inputs.
///
/// Lines keep their terminator: a last line without a newline differs from the same
/// line with one, and is printed followed by `\ No newline at end of file`, as diff does.
package struct LineDiff: Sendable, Hashable {
    /// One line of a hunk.
    package enum Line: Sendable, Hashable {
        /// In both texts.
        case context(Substring)
        /// Only in the old text.
        case deleted(Substring)
        /// Only in the new text.
        case inserted(Substring)
    }

    /// A group of changes with the unchanged lines around them.
    package struct Hunk: Sendable, Hashable {
        /// First old line of the hunk, 1-based; for an empty range, the line before it.
        package var oldStart: Int
        package var oldCount: Int
        /// First new line of the hunk, 1-based; for an empty range, the line before it.
        package var newStart: Int
        package var newCount: Int
        package var lines: [Line]

        /// The `@@ -a,b +c,d @@` line, with `,1` left out as diff leaves it out.
        package var header: String {
            "@@ -\(Self.range(oldStart, oldCount)) +\(Self.range(newStart, newCount)) @@"
        }

        static func range(_ start: Int, _ count: Int) -> String {
            count == 1 ? "\(start)" : "\(start),\(count)"
        }
    }

    /// The hunks, in order; empty when the texts are equal.
    package var hunks: [Hunk]
    /// Lines only in the old text.
    package var deletedCount: Int
    /// Lines only in the new text.
    package var insertedCount: Int

    /// Whether the texts are equal.
    package var isEmpty: Bool { hunks.isEmpty }

    /// Compares two texts line by line.
    /// - Parameters:
    ///   - old: the text before (the live object).
    ///   - new: the text after (the merged object).
    ///   - context: unchanged lines shown around each change; changes closer than twice
    ///     this are put in one hunk.
    package init(old: String, new: String, context: Int = 3) {
        let a = Self.lines(of: old), b = Self.lines(of: new)
        var script = EditScript(old: a, new: b)
        script.compute()
        script.shiftBoundaries()
        hunks = Self.hunks(old: a, new: b, deleted: script.deleted, inserted: script.inserted, context: max(0, context))
        deletedCount = script.deleted.reduce(0) { $0 + ($1 ? 1 : 0) }
        insertedCount = script.inserted.reduce(0) { $0 + ($1 ? 1 : 0) }
    }

    /// Splits a text into lines, each with its `\n` (the last may have none).
    static func lines(of text: String) -> [Substring] {
        var out: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        let utf8 = text.utf8
        while index < text.endIndex {
            let next = utf8.index(after: index)
            if utf8[index] == 0x0A {
                out.append(text[start..<next])
                start = next
            }
            index = next
        }
        if start < text.endIndex { out.append(text[start...]) }
        return out
    }

    /// Groups the changed lines into hunks: `context` lines of context on each side,
    /// and changes separated by at most `2 * context` unchanged lines share a hunk.
    private static func hunks(old a: [Substring], new b: [Substring], deleted: [Bool], inserted: [Bool],
                              context: Int) -> [Hunk] {
        // Walk both texts in step, collecting change blocks as (oldStart, oldEnd, newStart, newEnd).
        var blocks: [(x0: Int, x1: Int, y0: Int, y1: Int)] = []
        var x = 0, y = 0
        while x < a.count || y < b.count {
            if x < a.count, y < b.count, !deleted[x], !inserted[y] {
                x += 1
                y += 1
                continue
            }
            let x0 = x, y0 = y
            while x < a.count, deleted[x] { x += 1 }
            while y < b.count, inserted[y] { y += 1 }
            blocks.append((x0, x, y0, y))
        }
        var hunks: [Hunk] = []
        var index = 0
        while index < blocks.count {
            // Extend the group while the gap to the next block is small enough.
            var last = index
            while last + 1 < blocks.count, blocks[last + 1].x0 - blocks[last].x1 <= 2 * context { last += 1 }
            let first = blocks[index]
            let lead = min(context, first.x0)
            let oldFrom = first.x0 - lead, newFrom = first.y0 - lead
            let end = blocks[last]
            let trail = min(context, a.count - end.x1)
            let oldTo = end.x1 + trail, newTo = end.y1 + trail
            var lines: [Line] = []
            lines.reserveCapacity(oldTo - oldFrom + newTo - newFrom)
            var cx = oldFrom
            for block in blocks[index...last] {
                while cx < block.x0 {
                    lines.append(.context(a[cx]))
                    cx += 1
                }
                for i in block.x0..<block.x1 { lines.append(.deleted(a[i])) }
                for j in block.y0..<block.y1 { lines.append(.inserted(b[j])) }
                cx = block.x1
            }
            while cx < oldTo {
                lines.append(.context(a[cx]))
                cx += 1
            }
            let oldCount = oldTo - oldFrom, newCount = newTo - newFrom
            hunks.append(Hunk(oldStart: oldCount == 0 ? oldFrom : oldFrom + 1, oldCount: oldCount,
                              newStart: newCount == 0 ? newFrom : newFrom + 1, newCount: newCount, lines: lines))
            index = last + 1
        }
        return hunks
    }
}

/// The minimal edit script between two line arrays, as a changed flag per line.
///
/// Lines are compared through small integer classes so the inner loops compare
/// integers. The divide and conquer follows Myers (1986), section 4b: find the middle
/// snake of a D-path by running the search from both ends, then recurse on each side.
private struct EditScript {
    let a: [Int]
    let b: [Int]
    /// Changed flags with one sentinel `false` before and after: flag of line i is at i + 1.
    var deletedFlags: [Bool]
    var insertedFlags: [Bool]
    /// Forward and backward furthest-reaching x per diagonal k = x - y, offset by `b.count + 1`.
    private var forward: [Int]
    private var backward: [Int]
    private let offset: Int
    /// Per line class, the `stampValue` of the last `sharesLine` call that saw it in `a`.
    private var stamps: [Int]
    private var stampValue = 0

    var deleted: [Bool] { Array(deletedFlags[1..<deletedFlags.count - 1]) }
    var inserted: [Bool] { Array(insertedFlags[1..<insertedFlags.count - 1]) }

    init(old: [Substring], new: [Substring]) {
        var classes: [LineKey: Int] = [:]
        func classOf(_ line: Substring) -> Int {
            let key = LineKey(text: line)
            if let known = classes[key] { return known }
            let next = classes.count
            classes[key] = next
            return next
        }
        a = old.map(classOf)
        b = new.map(classOf)
        stamps = Array(repeating: 0, count: classes.count)
        deletedFlags = Array(repeating: false, count: a.count + 2)
        insertedFlags = Array(repeating: false, count: b.count + 2)
        offset = b.count + 1
        forward = Array(repeating: 0, count: a.count + b.count + 3)
        backward = forward
    }

    mutating func compute() {
        compare(x0: 0, x1: a.count, y0: 0, y1: b.count)
    }

    private mutating func compare(x0 startX: Int, x1 endX: Int, y0 startY: Int, y1 endY: Int) {
        var x0 = startX, x1 = endX, y0 = startY, y1 = endY
        while x0 < x1, y0 < y1, a[x0] == b[y0] {
            x0 += 1
            y0 += 1
        }
        while x0 < x1, y0 < y1, a[x1 - 1] == b[y1 - 1] {
            x1 -= 1
            y1 -= 1
        }
        if x0 == x1 || y0 == y1 || !sharesLine(x0: x0, x1: x1, y0: y0, y1: y1) {
            // Nothing in common: every script marks every line, whatever its path.
            for x in x0..<x1 { deletedFlags[x + 1] = true }
            for y in y0..<y1 { insertedFlags[y + 1] = true }
        } else {
            let (xm, ym) = middleSnake(x0: x0, x1: x1, y0: y0, y1: y1)
            compare(x0: x0, x1: xm, y0: y0, y1: ym)
            compare(x0: xm, x1: x1, y0: ym, y1: y1)
        }
    }

    /// Whether any line of `a[x0..<x1]` equals one of `b[y0..<y1]`. Cheap next to the
    /// middle-snake search it saves when two blocks were rewritten completely.
    private mutating func sharesLine(x0: Int, x1: Int, y0: Int, y1: Int) -> Bool {
        stampValue += 1
        for x in x0..<x1 { stamps[a[x]] = stampValue }
        for y in y0..<y1 where stamps[b[y]] == stampValue { return true }
        return false
    }

    /// The point where a forward and a backward furthest-reaching path of a minimal
    /// script first overlap. Both ranges are non-empty and differ at both ends.
    private mutating func middleSnake(x0: Int, x1: Int, y0: Int, y1: Int) -> (Int, Int) {
        let kMin = x0 - y1, kMax = x1 - y0
        let fMid = x0 - y0, bMid = x1 - y1
        var fLow = fMid, fHigh = fMid, bLow = bMid, bHigh = bMid
        let odd = (fMid - bMid) & 1 != 0
        forward[fMid + offset] = x0
        backward[bMid + offset] = x1
        while true {
            // Widen the forward diagonals by one on each side, or narrow at the edges.
            if fLow > kMin { fLow -= 1; forward[fLow - 1 + offset] = -1 } else { fLow += 1 }
            if fHigh < kMax { fHigh += 1; forward[fHigh + 1 + offset] = -1 } else { fHigh -= 1 }
            var k = fHigh
            while k >= fLow {
                let below = forward[k - 1 + offset], above = forward[k + 1 + offset]
                var x = below >= above ? below + 1 : above
                var y = x - k
                while x < x1, y < y1, a[x] == b[y] {
                    x += 1
                    y += 1
                }
                forward[k + offset] = x
                if odd, bLow <= k, k <= bHigh, backward[k + offset] <= x { return (x, y) }
                k -= 2
            }
            if bLow > kMin { bLow -= 1; backward[bLow - 1 + offset] = Int.max } else { bLow += 1 }
            if bHigh < kMax { bHigh += 1; backward[bHigh + 1 + offset] = Int.max } else { bHigh -= 1 }
            k = bHigh
            while k >= bLow {
                let below = backward[k - 1 + offset], above = backward[k + 1 + offset]
                var x = below < above ? below : above - 1
                var y = x - k
                while x0 < x, y0 < y, a[x - 1] == b[y - 1] {
                    x -= 1
                    y -= 1
                }
                backward[k + offset] = x
                if !odd, fLow <= k, k <= fHigh, x <= forward[k + offset] { return (x, y) }
                k -= 2
            }
        }
    }

    /// Slides each run of changed lines to a canonical place, as GNU diff does: up while
    /// the line before it equals its last line (merging with runs above), then down while
    /// its first line equals the line after it (merging with runs below), repeated until
    /// the run stops growing, and finally back up to line up with a change in the other
    /// text if it passed one. Without this, equal-cost scripts print different hunks.
    mutating func shiftBoundaries() {
        Self.shift(&deletedFlags, lines: a, other: insertedFlags)
        Self.shift(&insertedFlags, lines: b, other: deletedFlags)
    }

    /// `changed` and `other` carry sentinels (index 0 and count + 1 are false).
    private static func shift(_ changed: inout [Bool], lines: [Int], other: [Bool]) {
        let end = lines.count
        // i and start are 0-based line numbers; changed[i + 1] is line i's flag.
        // j walks the other text's flags in step (0-based; other[j + 1] is its flag).
        var i = 0, j = 0
        while true {
            while i < end, !changed[i + 1] {
                while other[j + 1] { j += 1 }
                j += 1
                i += 1
            }
            if i == end { return }
            var start = i
            while changed[i + 1] { i += 1 }
            while other[j + 1] { j += 1 }
            var corresponding: Int
            var runLength: Int
            repeat {
                runLength = i - start
                while start > 0, lines[start - 1] == lines[i - 1] {
                    start -= 1
                    changed[start + 1] = true
                    i -= 1
                    changed[i + 1] = false
                    while changed[start] { start -= 1 }
                    j -= 1
                    while other[j + 1] { j -= 1 }
                }
                corresponding = other[j] ? i : end
                while i != end, lines[start] == lines[i] {
                    changed[start + 1] = false
                    start += 1
                    changed[i + 1] = true
                    i += 1
                    while changed[i + 1] { i += 1 }
                    j += 1
                    while other[j + 1] {
                        j += 1
                        corresponding = i
                    }
                }
            } while runLength != i - start
            while corresponding < i {
                start -= 1
                changed[start + 1] = true
                i -= 1
                changed[i + 1] = false
                j -= 1
                while other[j + 1] { j -= 1 }
            }
        }
    }
}

/// A line compared byte for byte: Swift's `String` equality would treat canonically
/// equivalent spellings ("é" and "e" + U+0301) as equal, and diff must not.
private struct LineKey: Hashable {
    let text: Substring
    static func == (a: LineKey, b: LineKey) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }
    func hash(into hasher: inout Hasher) {
        for byte in text.utf8 { hasher.combine(byte) }
    }
}
