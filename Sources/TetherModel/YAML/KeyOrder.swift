/// The order in which go-yaml v3 (and therefore `kubectl kustomize`) prints
/// map keys: string comparison where runs of digits compare as numbers and
/// letters sort before non-letters ("a2" < "a10", "a" < "_").
package enum KeyOrder {
    /// Whether `a` sorts before `b`.
    package static func areInIncreasingOrder(_ a: String, _ b: String) -> Bool {
        let ascii = a.utf8.allSatisfy { $0 < 0x80 } && b.utf8.allSatisfy { $0 < 0x80 }
        if ascii {
            if let fast = a.utf8.withContiguousStorageIfAvailable({ ab in
                b.utf8.withContiguousStorageIfAvailable { bb in less(ab, bb) }
            }), let result = fast {
                return result
            }
            return less(Array(a.utf8), Array(b.utf8))
        }
        return less(a.unicodeScalars.map(\.value), b.unicodeScalars.map(\.value))
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
