/// go-yaml v3's timestamp recognition (`2006-1-2T15:4:5.999999999Z07:00`,
/// the same with a lower-case `t`, `2006-1-2 15:4:5.999999999`, `2006-1-2`)
/// and Go's RFC 3339 (nano) formatting of the parsed time, which is the
/// string kustomize's JSON round trip leaves behind.
enum Timestamp {
    static func parse(_ text: String) -> String? {
        let b = Array(text.utf8)
        // Quick check: exactly four digits, then '-'.
        guard b.count >= 8, b.count <= 64 else { return nil }
        var i = 0
        func number(minDigits: Int, maxDigits: Int) -> Int? {
            let start = i
            var v = 0
            while i < b.count, i - start < maxDigits, ScalarResolver.isDigit(b[i]) {
                v = v * 10 + Int(b[i] - UInt8(ascii: "0"))
                i += 1
            }
            return i - start >= minDigits ? v : nil
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = number(minDigits: 4, maxDigits: 4), expect(UInt8(ascii: "-")),
            let month = number(minDigits: 1, maxDigits: 2), expect(UInt8(ascii: "-")),
            let day = number(minDigits: 1, maxDigits: 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        let date = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        if i == b.count { return date + "T00:00:00Z" }

        let separator = b[i]
        let hasZone: Bool
        switch separator {
        case UInt8(ascii: "T"), UInt8(ascii: "t"): hasZone = true
        case UInt8(ascii: " "): hasZone = false
        default: return nil
        }
        i += 1
        guard let hour = number(minDigits: 1, maxDigits: 2), expect(UInt8(ascii: ":")),
            let minute = number(minDigits: 1, maxDigits: 2), expect(UInt8(ascii: ":")),
            let second = number(minDigits: 1, maxDigits: 2),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var fraction = ""
        if i < b.count && (b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",")) {
            i += 1
            let start = i
            while i < b.count && ScalarResolver.isDigit(b[i]) { i += 1 }
            guard i > start else { return nil }
            // Go reads any number of digits and keeps nanoseconds.
            fraction = String(decoding: b[start..<min(i, start + 9)], as: UTF8.self)
            while fraction.hasSuffix("0") { fraction.removeLast() }
        }
        var zone = "Z"
        if hasZone {
            guard i < b.count else { return nil }
            if b[i] == UInt8(ascii: "Z") {
                i += 1
            } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                let sign = b[i]
                i += 1
                guard i + 5 <= b.count, ScalarResolver.isDigit(b[i]), ScalarResolver.isDigit(b[i + 1]),
                    b[i + 2] == UInt8(ascii: ":"), ScalarResolver.isDigit(b[i + 3]), ScalarResolver.isDigit(b[i + 4])
                else { return nil }
                let zh = Int(b[i] - 48) * 10 + Int(b[i + 1] - 48)
                let zm = Int(b[i + 3] - 48) * 10 + Int(b[i + 4] - 48)
                guard zh < 24, zm < 60 else { return nil }
                i += 5
                if zh != 0 || zm != 0 {
                    zone = String(UnicodeScalar(sign)) + pad(zh, 2) + ":" + pad(zm, 2)
                }
            } else {
                return nil
            }
        }
        guard i == b.count else { return nil }
        var out = date + "T" + pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
        if !fraction.isEmpty { out += "." + fraction }
        return out + zone
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
