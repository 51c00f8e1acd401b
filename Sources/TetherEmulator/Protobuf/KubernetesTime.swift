import Foundation

/// The text forms of metav1.Time (RFC 3339, whole seconds), metav1.MicroTime
/// (RFC 3339 with six fractional digits) and metav1.Duration (Go's
/// `time.Duration.String`), to and from protobuf's seconds and nanoseconds.
enum KubernetesTime {
    static func format(seconds: Int64, nanos: Int, micro: Bool) -> String {
        let whole = FieldManager.timestamp(Date(timeIntervalSince1970: TimeInterval(seconds)))
        guard micro else { return whole }
        let micros = String(nanos / 1000)
        return String(whole.dropLast()) + "." + String(repeating: "0", count: max(0, 6 - micros.count)) + micros + "Z"
    }

    /// Seconds and nanoseconds since 1970 of an RFC 3339 time (`2024-05-01T10:00:00Z`,
    /// `2024-05-01T10:00:00.123456+02:00`), or nil when `text` is not one.
    static func parse(_ text: String) -> (seconds: Int64, nanos: Int32)? {
        let b = Array(text.utf8)
        func digits(_ at: Int, _ count: Int) -> Int64? {
            guard at + count <= b.count else { return nil }
            var v: Int64 = 0
            for i in at..<(at + count) {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                v = v * 10 + Int64(b[i] - 0x30)
            }
            return v
        }
        guard b.count >= 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54 || b[10] == 0x74, b[13] == 0x3A, b[16] == 0x3A,
              let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
              let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var nanos: Int64 = 0
        if i < b.count, b[i] == 0x2E {
            i += 1
            var scale: Int64 = 100_000_000
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                nanos += Int64(b[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
        }
        var offset: Int64 = 0
        if i < b.count, b[i] == 0x5A || b[i] == 0x7A {
            i += 1
        } else if i + 6 == b.count, b[i] == 0x2B || b[i] == 0x2D, b[i + 3] == 0x3A,
                  let oh = digits(i + 1, 2), let om = digits(i + 4, 2) {
            offset = (oh * 3600 + om * 60) * (b[i] == 0x2D ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        // Days from civil (Howard Hinnant's `days_from_civil`).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return (days * 86_400 + hour * 3600 + minute * 60 + second - offset, Int32(nanos))
    }

    /// Go's `time.Duration.String` for `nanoseconds`.
    static func goDuration(_ nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let n = nanoseconds.magnitude
        var text: String
        if n < 1_000 {
            text = "\(n)ns"
        } else if n < 1_000_000 {
            text = fraction(n, 1_000) + "µs"
        } else if n < 1_000_000_000 {
            text = fraction(n, 1_000_000) + "ms"
        } else {
            let hours = n / 3_600_000_000_000
            let minutes = n / 60_000_000_000 % 60
            let seconds = fraction(n % 60_000_000_000, 1_000_000_000) + "s"
            text = hours > 0 ? "\(hours)h\(minutes)m\(seconds)" : minutes > 0 ? "\(minutes)m\(seconds)" : seconds
        }
        return negative ? "-" + text : text
    }

    private static func fraction(_ value: UInt64, _ unit: UInt64) -> String {
        let whole = value / unit
        var rest = String(value % unit)
        if rest == "0" { return String(whole) }
        rest = String(repeating: "0", count: String(unit).count - 1 - rest.count) + rest
        while rest.hasSuffix("0") { rest.removeLast() }
        return "\(whole).\(rest)"
    }

    /// Nanoseconds of a Go duration string (`1h2m3.5s`, `300ms`), or nil.
    static func parseGoDuration(_ text: String) -> Int64? {
        var rest = Substring(text)
        var sign: Double = 1
        if rest.first == "-" { sign = -1; rest = rest.dropFirst() } else if rest.first == "+" { rest = rest.dropFirst() }
        if rest == "0" { return 0 }
        let units: [(String, Double)] = [("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 6e10), ("h", 3.6e12)]
        var total = 0.0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !$0.isNumber && $0 != "." }
            guard let scale = units.first(where: { $0.0 == unit })?.1 else { return nil }
            rest = rest.dropFirst(unit.count)
            total += value * scale
        }
        return Int64(sign * total)
    }
}
