import Foundation
import TetherModel

/// A Kubernetes resource quantity (`500m`, `1Gi`, `2e3`, `1.5`) as an exact decimal, so
/// that values the API server canonicalises (`1000m` becomes `1`) compare equal.
struct Quantity: Equatable {
    let value: Decimal

    init?(_ raw: Value) {
        switch raw {
        case .int(let n): value = Decimal(n)
        case .uint(let n): value = Decimal(n)
        case .float(let n): value = Decimal(n)
        case .string(let text): guard let parsed = Self.parse(text) else { return nil }; value = parsed
        default: return nil
        }
    }

    static let binarySuffixes: [String: Int] = ["Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60]
    static let decimalSuffixes: [String: Int] = ["n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18]

    static func parse(_ text: String) -> Decimal? {
        let bytes = Array(text.utf8)
        var end = 0
        if end < bytes.count, bytes[end] == UInt8(ascii: "+") || bytes[end] == UInt8(ascii: "-") { end += 1 }
        let digitsStart = end
        while end < bytes.count, (bytes[end] >= 0x30 && bytes[end] <= 0x39) || bytes[end] == UInt8(ascii: ".") { end += 1 }
        guard end > digitsStart, let number = Decimal(string: String(decoding: bytes[..<end], as: UTF8.self)) else { return nil }
        let suffix = String(decoding: bytes[end...], as: UTF8.self)
        if let power = binarySuffixes[suffix] {
            var result = number
            for _ in 0..<(power / 10) { result *= 1024 }
            return result
        }
        if let exponent = decimalSuffixes[suffix] {
            return number * pow(Decimal(10), exponent >= 0 ? exponent : 0) / pow(Decimal(10), exponent < 0 ? -exponent : 0)
        }
        if let first = suffix.first, first == "e" || first == "E", let exponent = Int(suffix.dropFirst()), abs(exponent) <= 30 {
            return number * pow(Decimal(10), max(exponent, 0)) / pow(Decimal(10), max(-exponent, 0))
        }
        return nil
    }
}
