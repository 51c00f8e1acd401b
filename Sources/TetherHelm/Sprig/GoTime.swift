import Foundation
import TetherTemplate

/// Go's `time.Duration`: `String()` and `time.ParseDuration`.
enum GoDuration {
    /// `time.Duration.String`: `1h2m3.5s`, `1.5ms`, `0s`.
    static func string(_ d: Int64) -> String {
        if d == 0 { return "0s" }
        let neg = d < 0
        let u = d.magnitude
        var out: String
        if u < 1_000_000_000 {
            let (unit, scale): (String, UInt64) = u < 1000 ? ("ns", 1) : u < 1_000_000 ? ("µs", 1000) : ("ms", 1_000_000)
            out = fraction(u, scale) + unit
        } else {
            var rest = u / 1_000_000_000
            var s = fraction(u % 60_000_000_000, 1_000_000_000) + "s"
            rest /= 60
            if rest > 0 {
                s = String(rest % 60) + "m" + s
                rest /= 60
                if rest > 0 { s = String(rest) + "h" + s }
            }
            out = s
        }
        return (neg ? "-" : "") + out
    }

    /// `v / scale` with the fraction's trailing zeros dropped.
    private static func fraction(_ v: UInt64, _ scale: UInt64) -> String {
        var s = String(v / scale)
        if scale > 1, v % scale != 0 {
            var digits = String(v % scale)
            digits = String(repeating: "0", count: String(scale).count - 1 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            s += "." + digits
        }
        return s
    }

    /// `time.ParseDuration`.
    static func parse(_ text: String) throws -> Int64 {
        let units: [String: Double] = ["ns": 1, "us": 1e3, "µs": 1e3, "μs": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9]
        var s = Substring(text)
        let bad = SprigError("time: invalid duration \(goQuote(text))")
        var neg = false
        if s.first == "-" || s.first == "+" { neg = s.first == "-"; s = s.dropFirst() }
        if s == "0" { return 0 }
        guard !s.isEmpty else { throw bad }
        var total = 0.0
        while !s.isEmpty {
            let number = s.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", let value = Double(number.hasPrefix(".") ? "0" + number : String(number)) else { throw bad }
            s = s[number.endIndex...]
            let unit = s.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard !unit.isEmpty else { throw SprigError("time: missing unit in duration \(goQuote(text))") }
            guard let scale = units[String(unit)] else { throw SprigError("time: unknown unit \(goQuote(String(unit))) in duration \(goQuote(text))") }
            s = s[unit.endIndex...]
            total += value * scale
        }
        guard total < 9.223372036854775807e18 else { throw bad }
        return (neg ? -1 : 1) * Int64(total.rounded(.towardZero))
    }
}

/// Go's `time.Time`: an instant and the zone it is shown in.
struct GoTime: TemplateObject {
    var seconds: Int64
    var nanoseconds: Int64 = 0
    var zone: TimeZone

    static var local: TimeZone { TimeZone.current }

    static func now() -> GoTime {
        let t = Date().timeIntervalSince1970
        let s = Int64(t.rounded(.down))
        return GoTime(seconds: s, nanoseconds: Int64((t - Double(s)) * 1e9), zone: local)
    }

    var typeName: String { "time.Time" }
    var formatted: String { format("2006-01-02 15:04:05.999999999 -0700 MST") }

    func member(named name: String) -> TemplateMember? {
        func method(_ params: [TemplateType] = [], _ body: @escaping @Sendable ([TemplateValue]) throws -> TemplateValue) -> TemplateMember {
            .method(TemplateFunction(params) { a, _ in try body(a) })
        }
        let c = civil
        switch name {
        case "Unix": return method { _ in .int(seconds, .int64) }
        case "UnixNano": return method { _ in .int(seconds &* 1_000_000_000 &+ nanoseconds, .int64) }
        case "Year": return method { _ in .int(c.year) }
        case "Day": return method { _ in .int(c.day) }
        case "Hour": return method { _ in .int(c.hour) }
        case "Minute": return method { _ in .int(c.minute) }
        case "Second": return method { _ in .int(c.second) }
        case "Nanosecond": return method { _ in .int(nanoseconds) }
        case "YearDay": return method { _ in .int(c.yearDay) }
        case "String": return method { _ in .string(formatted) }
        case "Format": return method([.string]) { a in .string(format(a[0].stringValue ?? "")) }
        case "UTC": return method { _ in .object(GoTime(seconds: seconds, nanoseconds: nanoseconds, zone: TimeZone(identifier: "UTC")!)) }
        case "Local": return method { _ in .object(GoTime(seconds: seconds, nanoseconds: nanoseconds, zone: Self.local)) }
        default: return nil
        }
    }

    func isEqual(to other: any TemplateObject) -> Bool? {
        guard let o = other as? GoTime else { return false }
        return seconds == o.seconds && nanoseconds == o.nanoseconds && zone.identifier == o.zone.identifier
    }

    var offset: Int { zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))) }

    var abbreviation: String {
        if ["UTC", "GMT", "Etc/UTC", "Universal", "Zulu"].contains(zone.identifier) || (offset == 0 && zone.identifier.hasPrefix("GMT")) { return "UTC" }
        return zone.abbreviation(for: Date(timeIntervalSince1970: TimeInterval(seconds))) ?? "UTC"
    }

    struct Civil { var year, month, day, hour, minute, second, weekday, yearDay: Int64 }

    var civil: Civil {
        let local = seconds + Int64(offset)
        let days = Int64((Double(local) / 86400).rounded(.down))
        let secs = local - days * 86400
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let before: [Int64] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        let yday = before[Int(m - 1)] + d + (leap && m > 2 ? 1 : 0)
        let weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday (4)
        return Civil(year: y, month: m, day: d, hour: secs / 3600, minute: secs / 60 % 60, second: secs % 60, weekday: weekday, yearDay: yday)
    }

    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    static let days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// The layout's tokens, longest first where one is a prefix of another.
    static let tokens = ["January", "Jan", "Monday", "Mon", "MST", "2006", "002", "01", "02", "_2", "06", "15", "03", "04", "05",
                         "Z07:00:00", "-07:00:00", "Z070000", "-070000", "Z07:00", "-07:00", "Z0700", "-0700", "Z07", "-07",
                         "PM", "pm", "1", "2", "3", "4", "5"]

    /// Splits a Go layout into literal text and tokens (fractional seconds as `.000`/`.999`).
    static func lex(_ layout: String) -> [(token: String?, text: String)] {
        var out: [(String?, String)] = []
        var s = Substring(layout)
        var literal = ""
        func flush() { if !literal.isEmpty { out.append((nil, literal)); literal = "" } }
        while !s.isEmpty {
            if (s.first == "." || s.first == ","), let d = s.dropFirst().first, d == "0" || d == "9" {
                let run = s.dropFirst().prefix { $0 == d }
                let after = s.dropFirst(1 + run.count).first
                if after == nil || !(after!.isNumber) {
                    flush()
                    out.append((String(s.prefix(1 + run.count)), ""))
                    s = s.dropFirst(1 + run.count)
                    continue
                }
            }
            if let t = tokens.first(where: { s.hasPrefix($0) }) {
                // Go only reads `Jan`/`Mon` and `January`/`Monday` when not followed by a lower-case letter.
                if (t == "Mon" || t == "Monday") && s.dropFirst(t.count).first.map({ $0.isLowercase }) == true && !s.hasPrefix("Monday") {
                    literal.append(s.removeFirst())
                    continue
                }
                flush()
                out.append((t, ""))
                s = s.dropFirst(t.count)
                continue
            }
            literal.append(s.removeFirst())
        }
        flush()
        return out
    }

    /// `Time.Format`.
    func format(_ layout: String) -> String {
        let c = civil
        func pad(_ v: Int64, _ n: Int, _ fill: Character = "0") -> String {
            let s = String(v)
            return String(repeating: fill, count: max(0, n - s.count)) + s
        }
        var out = ""
        for (token, text) in Self.lex(layout) {
            guard let token else { out += text; continue }
            switch token {
            case "January": out += Self.months[Int(c.month - 1)]
            case "Jan": out += String(Self.months[Int(c.month - 1)].prefix(3))
            case "Monday": out += Self.days[Int(c.weekday)]
            case "Mon": out += String(Self.days[Int(c.weekday)].prefix(3))
            case "MST": out += abbreviation
            case "2006": out += pad(c.year, 4)
            case "06": out += pad(c.year % 100, 2)
            case "002": out += pad(c.yearDay, 3)
            case "01": out += pad(c.month, 2)
            case "1": out += String(c.month)
            case "02": out += pad(c.day, 2)
            case "_2": out += pad(c.day, 2, " ")
            case "2": out += String(c.day)
            case "15": out += pad(c.hour, 2)
            case "03": out += pad(c.hour % 12 == 0 ? 12 : c.hour % 12, 2)
            case "3": out += String(c.hour % 12 == 0 ? 12 : c.hour % 12)
            case "04": out += pad(c.minute, 2)
            case "4": out += String(c.minute)
            case "05": out += pad(c.second, 2)
            case "5": out += String(c.second)
            case "PM": out += c.hour >= 12 ? "PM" : "AM"
            case "pm": out += c.hour >= 12 ? "pm" : "am"
            default:
                if token.hasPrefix(".") || token.hasPrefix(",") {
                    var digits = pad(nanoseconds, 9)
                    digits = String(digits.prefix(token.count - 1))
                    if token.dropFirst().first == "9" {
                        while digits.hasSuffix("0") { digits.removeLast() }
                        if !digits.isEmpty { out += String(token.prefix(1)) + digits }
                    } else {
                        out += String(token.prefix(1)) + digits
                    }
                } else {
                    out += zoneText(token)
                }
            }
        }
        return out
    }

    private func zoneText(_ token: String) -> String {
        let off = offset
        if token.hasPrefix("Z") && off == 0 { return "Z" }
        let sign = off < 0 ? "-" : "+"
        let a = abs(off)
        let h = String(format: "%02d", a / 3600), m = String(format: "%02d", a / 60 % 60), s = String(format: "%02d", a % 60)
        switch token.dropFirst() {
        case "07": return sign + h
        case "0700": return sign + h + m
        case "07:00": return sign + h + ":" + m
        case "070000": return sign + h + m + s
        default: return sign + h + ":" + m + ":" + s
        }
    }

    /// `time.ParseInLocation` for the numeric and month-name layouts charts use.
    static func parse(_ layout: String, _ value: String, in zone: TimeZone) throws -> GoTime {
        var s = Substring(value)
        let fail = { (elem: String) in
            SprigError("parsing time \(goQuote(value)) as \(goQuote(layout)): cannot parse \(goQuote(String(s))) as \(goQuote(elem))")
        }
        var year: Int64 = 1, month: Int64 = 1, day: Int64 = 1, hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0, nanos: Int64 = 0
        var pm: Bool?
        var offset: Int?
        func number(_ elem: String, _ minDigits: Int, _ maxDigits: Int) throws -> Int64 {
            let digits = s.prefix(maxDigits).prefix { $0.isASCII && $0.isNumber }
            guard digits.count >= minDigits, let v = Int64(digits) else { throw fail(elem) }
            s = s.dropFirst(digits.count)
            return v
        }
        for (token, text) in lex(layout) {
            guard let token else {
                guard s.hasPrefix(text) else { throw fail(text) }
                s = s.dropFirst(text.count)
                continue
            }
            switch token {
            case "2006": year = try number(token, 4, 4)
            case "06": year = try number(token, 2, 2); year += year >= 69 ? 1900 : 2000
            case "01": month = try number(token, 2, 2)
            case "1": month = try number(token, 1, 2)
            case "02", "_2":
                if token == "_2" && s.first == " " { s = s.dropFirst() }
                day = try number(token, token == "02" ? 2 : 1, 2)
            case "2": day = try number(token, 1, 2)
            case "002": _ = try number(token, 3, 3)
            case "15": hour = try number(token, 1, 2)
            case "03", "3": hour = try number(token, token == "03" ? 2 : 1, 2)
            case "04", "4": minute = try number(token, token == "04" ? 2 : 1, 2)
            case "05", "5": second = try number(token, token == "05" ? 2 : 1, 2)
            case "PM", "pm":
                let t = s.prefix(2).uppercased()
                guard t == "AM" || t == "PM" else { throw fail(token) }
                pm = t == "PM"
                s = s.dropFirst(2)
            case "January", "Jan", "Monday", "Mon":
                let names = token.hasPrefix("J") ? months : days
                let long = token.count > 3
                guard let i = names.firstIndex(where: { s.lowercased().hasPrefix((long ? $0 : String($0.prefix(3))).lowercased()) }) else { throw fail(token) }
                s = s.dropFirst(long ? names[i].count : 3)
                if token.hasPrefix("J") { month = Int64(i + 1) }
            case "MST":
                let abbr = s.prefix { $0.isUppercase }
                guard abbr.count >= 3 else { throw fail(token) }
                s = s.dropFirst(abbr.count)
                if abbr == "UTC" || abbr == "GMT" { offset = 0 }
            default:
                if token.hasPrefix(".") || token.hasPrefix(",") {
                    guard s.first == "." || s.first == "," else { if token.dropFirst().first == "9" { continue }; throw fail(token) }
                    s = s.dropFirst()
                    let digits = s.prefix { $0.isASCII && $0.isNumber }
                    s = s.dropFirst(digits.count)
                    nanos = Int64((String(digits) + "000000000").prefix(9)) ?? 0
                } else {
                    if token.hasPrefix("Z"), s.first == "Z" { s = s.dropFirst(); offset = 0; continue }
                    guard let sign = s.first, sign == "+" || sign == "-" else { throw fail(token) }
                    s = s.dropFirst()
                    let h = try number(token, 2, 2)
                    if s.first == ":" { s = s.dropFirst() }
                    let m = token.contains("00") ? try number(token, 2, 2) : 0
                    offset = (sign == "-" ? -1 : 1) * Int(h * 3600 + m * 60)
                }
            }
        }
        guard s.isEmpty else { throw SprigError("parsing time \(goQuote(value)): extra text: \(goQuote(String(s)))") }
        if let pm { hour = hour % 12 + (pm ? 12 : 0) }
        guard (1...12).contains(month) else { throw SprigError("parsing time \(goQuote(value)): month out of range") }
        guard (1...31).contains(day) else { throw SprigError("parsing time \(goQuote(value)): day out of range") }
        let wall = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second
        if let offset {
            return GoTime(seconds: wall - Int64(offset), nanoseconds: nanos, zone: offset == 0 && zone.secondsFromGMT() == 0 ? zone : TimeZone(secondsFromGMT: offset) ?? zone)
        }
        var guess = wall - Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall))))
        guess = wall - Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(guess))))
        return GoTime(seconds: guess, nanoseconds: nanos, zone: zone)
    }
}
