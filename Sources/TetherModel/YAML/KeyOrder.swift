/// The order in which go-yaml v3 (and therefore `kubectl kustomize`) prints
/// map keys: string comparison where runs of digits compare as numbers and
/// letters sort before non-letters ("a2" < "a10", "a" < "_").
package enum KeyOrder {
    /// Whether `a` sorts before `b`.
    package static func areInIncreasingOrder(_ a: String, _ b: String) -> Bool {
        // Fast path: walk both UTF-8 buffers; ASCII-only differences are
        // decided here, anything else falls back to comparing scalars.
        if let decided = a.utf8.withContiguousStorageIfAvailable({ ab in
            b.utf8.withContiguousStorageIfAvailable { bb in asciiLess(ab, bb) } ?? nil
        }), let result = decided {
            return result
        }
        return less(a.unicodeScalars.map(\.value), b.unicodeScalars.map(\.value))
    }

    /// The comparison when every byte that matters is ASCII; `nil` when a
    /// non-ASCII byte takes part in the decision.
    private static func asciiLess(_ ar: UnsafeBufferPointer<UInt8>, _ br: UnsafeBufferPointer<UInt8>) -> Bool? {
        let n = min(ar.count, br.count)
        var i = 0
        while i < n && ar[i] == br[i] { i += 1 }
        if i == n {
            return ar.count < br.count
        }
        let x = ar[i], y = br[i]
        if x >= 0x80 || y >= 0x80 { return nil }
        let xl = isASCIILetter(x), yl = isASCIILetter(y)
        if xl && yl { return x < y }
        if xl || yl { return yl }
        var ai = i, bi = i
        var an: Int64 = 0, bn: Int64 = 0
        while ai < ar.count, ar[ai] >= 48, ar[ai] <= 57 {
            an = an &* 10 &+ Int64(ar[ai] - 48)
            ai += 1
        }
        while bi < br.count, br[bi] >= 48, br[bi] <= 57 {
            bn = bn &* 10 &+ Int64(br[bi] - 48)
            bi += 1
        }
        // A run that continues into non-ASCII may hold other Unicode digits.
        if (ai < ar.count && ar[ai] >= 0x80) || (bi < br.count && br[bi] >= 0x80) { return nil }
        if an != bn { return an < bn }
        if ai != bi { return ai < bi }
        return x < y
    }

    @inline(__always) private static func isASCIILetter(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
    }

    private static func less<C: RandomAccessCollection>(_ ar: C, _ br: C) -> Bool
    where C.Element: BinaryInteger, C.Index == Int {
        let n = min(ar.count, br.count)
        var i = 0
        while i < n {
            let x = ar[ar.startIndex + i], y = br[br.startIndex + i]
            if x == y {
                i += 1
                continue
            }
            let xl = isLetter(UInt32(x)), yl = isLetter(UInt32(y))
            if xl && yl { return x < y }
            if xl || yl { return yl }
            // Compare the runs of digits that start here, as numbers.
            var ai = i, bi = i
            var an: Int64 = 0, bn: Int64 = 0
            while ai < ar.count, isDigit(UInt32(ar[ar.startIndex + ai])) {
                an = an &* 10 &+ Int64(ar[ar.startIndex + ai]) &- 48
                ai += 1
            }
            while bi < br.count, isDigit(UInt32(br[br.startIndex + bi])) {
                bn = bn &* 10 &+ Int64(br[br.startIndex + bi]) &- 48
                bi += 1
            }
            if an != bn { return an < bn }
            if ai != bi { return ai < bi }
            return x < y
        }
        return ar.count < br.count
    }

    private static func isLetter(_ v: UInt32) -> Bool {
        if v < 0x80 { return (v >= 65 && v <= 90) || (v >= 97 && v <= 122) }
        guard let s = Unicode.Scalar(v) else { return false }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    private static func isDigit(_ v: UInt32) -> Bool {
        if v < 0x80 { return v >= 48 && v <= 57 }
        guard let s = Unicode.Scalar(v) else { return false }
        return s.properties.generalCategory == .decimalNumber
    }
}
