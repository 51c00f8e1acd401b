import Foundation
import ArgumentParser

/// Time flags as people write them: `90s`, `1m`, `1h30m`, `500ms`, `1.5h` (Go's and
/// Flux's forms); a bare number stays seconds. A bad value is refused with the flag's name
/// (ArgumentParser adds it) and the accepted forms.
enum DurationFlag {
    static let forms = "a duration such as 90s, 5m, 1h30m or 500ms (units ms, s, m, h), or a bare number of seconds"

    /// The value in seconds.
    static func seconds(_ text: String) throws -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let bare = Double(trimmed), bare.isFinite { return bare }
        var rest = Substring(trimmed)
        var total = 0.0
        guard !rest.isEmpty else { throw ValidationError("expected \(forms)") }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count)
            let scale: Double? = switch unit {
            case "ms": 0.001
            case "s": 1
            case "m": 60
            case "h": 3600
            default: nil
            }
            guard let value = Double(number), let scale else { throw ValidationError("'\(text)' is not \(forms)") }
            total += value * scale
        }
        return total
    }

    /// For flags kept in whole seconds.
    static func wholeSeconds(_ text: String) throws -> Int {
        let value = try seconds(text)
        guard value == value.rounded(), abs(value) < Double(Int32.max) else {
            throw ValidationError("'\(text)' must be a whole number of seconds (\(forms))")
        }
        return Int(value)
    }
}
