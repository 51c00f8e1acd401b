/// Go's `fmt` printer (`pp` and `fmt` in print.go and format.go) over template values.
/// A long verb-dispatching state machine, kept in one file like Go's, because the flag state
/// is shared by every verb.
struct GoPrinter {
    var output = ""
    var flags = Flags()

    struct Flags {
        var sharp = false, zero = false, plus = false, minus = false, space = false
        var sharpV = false, plusV = false
        var width = 0, widthPresent = false
        var precision = 0, precisionPresent = false
    }

    // MARK: Print, Println

    mutating func doPrint(_ arguments: [TemplateValue]) {
        var prevString = false
        for (i, arg) in arguments.enumerated() {
            let isString: Bool
            if case .string = arg { isString = true } else { isString = false }
            if i > 0 && !isString && !prevString { output += " " }
            printArg(arg, "v")
            prevString = isString
        }
    }

    mutating func doPrintln(_ arguments: [TemplateValue]) {
        for (i, arg) in arguments.enumerated() {
            if i > 0 { output += " " }
            printArg(arg, "v")
        }
        output += "\n"
    }

    // MARK: Printf

    mutating func doPrintf(_ formatText: String, _ a: [TemplateValue]) {
        let format = Array(formatText.utf8)
        let end = format.count
        var argNum = 0
        var afterIndex = false
        var reordered = false
        var i = 0
        formatLoop: while i < end {
            var goodArgNum = true
            let lasti = i
            while i < end && format[i] != UInt8(ascii: "%") { i += 1 }
            if i > lasti { output += String(decoding: format[lasti..<i], as: UTF8.self) }
            if i >= end { break }
            i += 1
            flags = Flags()
            simple: while i < end {
                let c = format[i]
                switch c {
                case UInt8(ascii: "#"): flags.sharp = true
                case UInt8(ascii: "0"): flags.zero = !flags.minus
                case UInt8(ascii: "+"): flags.plus = true
                case UInt8(ascii: "-"): flags.minus = true; flags.zero = false
                case UInt8(ascii: " "): flags.space = true
                default:
                    if c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") && argNum < a.count {
                        if c == UInt8(ascii: "v") {
                            flags.sharpV = flags.sharp
                            flags.sharp = false
                            flags.plusV = flags.plus
                            flags.plus = false
                        }
                        printArg(a[argNum], Character(Unicode.Scalar(c)))
                        argNum += 1
                        i += 1
                        continue formatLoop
                    }
                    break simple
                }
                i += 1
            }
            // Argument index, width, precision.
            (argNum, i, afterIndex, goodArgNum, reordered) = argNumber(argNum, format, i, a.count, goodArgNum, reordered)
            if i < end && format[i] == UInt8(ascii: "*") {
                i += 1
                (flags.width, flags.widthPresent, argNum) = intFromArg(a, argNum)
                if !flags.widthPresent { output += "%!(BADWIDTH)" }
                if flags.width < 0 {
                    flags.width = -flags.width
                    flags.minus = true
                    flags.zero = false
                }
                afterIndex = false
            } else {
                (flags.width, flags.widthPresent, i) = parseNum(format, i, end)
                if afterIndex && flags.widthPresent { goodArgNum = false }
            }
            if i + 1 < end && format[i] == UInt8(ascii: ".") {
                i += 1
                if afterIndex { goodArgNum = false }
                (argNum, i, afterIndex, goodArgNum, reordered) = argNumber(argNum, format, i, a.count, goodArgNum, reordered)
                if i < end && format[i] == UInt8(ascii: "*") {
                    i += 1
                    (flags.precision, flags.precisionPresent, argNum) = intFromArg(a, argNum)
                    if flags.precision < 0 {
                        flags.precision = 0
                        flags.precisionPresent = false
                    }
                    if !flags.precisionPresent { output += "%!(BADPREC)" }
                    afterIndex = false
                } else {
                    (flags.precision, flags.precisionPresent, i) = parseNum(format, i, end)
                    if !flags.precisionPresent {
                        flags.precision = 0
                        flags.precisionPresent = true
                    }
                }
            }
            if !afterIndex {
                (argNum, i, afterIndex, goodArgNum, reordered) = argNumber(argNum, format, i, a.count, goodArgNum, reordered)
            }
            if i >= end {
                output += "%!(NOVERB)"
                break
            }
            let (rune, size) = decodeRune(format, at: i)
            i += size
            let verb = Character(Unicode.Scalar(rune) ?? "\u{FFFD}")
            switch verb {
            case "%":
                output += "%"
            case _ where !goodArgNum:
                output += "%!\(verb)(BADINDEX)"
            case _ where argNum >= a.count:
                output += "%!\(verb)(MISSING)"
            default:
                if verb == "v" {
                    flags.sharpV = flags.sharp
                    flags.sharp = false
                    flags.plusV = flags.plus
                    flags.plus = false
                }
                printArg(a[argNum], verb)
                argNum += 1
            }
        }
        if !reordered && argNum < a.count {
            flags = Flags()
            output += "%!(EXTRA "
            for (k, arg) in a[argNum...].enumerated() {
                if k > 0 { output += ", " }
                if arg.isNull {
                    output += "<nil>"
                } else {
                    output += arg.typeName + "="
                    printArg(arg, "v")
                }
            }
            output += ")"
        }
    }

    private func parseNum(_ s: [UInt8], _ start: Int, _ end: Int) -> (Int, Bool, Int) {
        var i = start
        var num = 0
        var isNum = false
        while i < end && s[i] >= UInt8(ascii: "0") && s[i] <= UInt8(ascii: "9") {
            if num > 1_000_000 { return (0, false, end) }
            num = num * 10 + Int(s[i] - UInt8(ascii: "0"))
            isNum = true
            i += 1
        }
        return (num, isNum, i)
    }

    private func argNumber(
        _ argNum: Int, _ format: [UInt8], _ i: Int, _ numArgs: Int, _ good: Bool, _ reordered: Bool
    ) -> (Int, Int, Bool, Bool, Bool) {
        guard i < format.count, format[i] == UInt8(ascii: "[") else { return (argNum, i, false, good, reordered) }
        // Go's parseArgNumber: "[n]" with n >= 1.
        var j = i + 1
        while j < format.count && format[j] != UInt8(ascii: "]") { j += 1 }
        guard j < format.count else { return (argNum, i + 1, false, false, true) }
        let (n, ok, newi) = parseNum(format, i + 1, j)
        if !ok || newi != j || n < 1 { return (argNum, j + 1, true, false, true) }
        let index = n - 1
        if index >= 0 && index < numArgs { return (index, j + 1, true, good, true) }
        return (argNum, j + 1, true, false, true)
    }

    private func intFromArg(_ a: [TemplateValue], _ argNum: Int) -> (Int, Bool, Int) {
        guard argNum < a.count else { return (0, false, argNum) }
        switch a[argNum] {
        case .int(let n, _) where abs(n) <= 1_000_000: return (Int(n), true, argNum + 1)
        case .uint(let n, _) where n <= 1_000_000: return (Int(n), true, argNum + 1)
        default: return (0, false, argNum + 1)
        }
    }

    // MARK: one operand

    mutating func printArg(_ arg: TemplateValue, _ verb: Character) {
        if arg.isNull {
            if verb == "T" || verb == "v" { pad("<nil>") } else { badVerb(verb, arg) }
            return
        }
        if verb == "T" {
            fmtString(arg.typeName, "s")
            return
        }
        printValue(arg, verb, depth: 0)
    }

    mutating func printValue(_ value: TemplateValue, _ verb: Character, depth: Int) {
        switch value {
        case .null:
            if depth == 0 {
                printArg(value, verb)
            } else if flags.sharpV {
                output += "interface {}(nil)"
            } else {
                // Go writes a nil element without padding.
                output += "<nil>"
            }
        case .bool(let b):
            if verb == "t" || verb == "v" { pad(b ? "true" : "false") } else { badVerb(verb, value) }
        case .int(let n, _):
            fmtInteger(UInt64(bitPattern: n), signed: true, verb, value)
        case .uint(let n, _):
            fmtInteger(n, signed: false, verb, value)
        case .float(let f, let kind):
            fmtFloat(f, bits: kind == .float32 ? 32 : 64, verb, value)
        case .complex(let r, let im):
            fmtComplex(r, im, verb, value)
        case .string(let s):
            fmtString(s, verb, value)
        case .list(let items, let elementType):
            if "sqxX".contains(verb), elementType == .uint(.uint8) {
                let bytes = items.map { v -> UInt8 in if case .uint(let b, _) = v { return UInt8(truncatingIfNeeded: b) } else { return 0 } }
                fmtString(String(decoding: bytes, as: UTF8.self), verb, value)
                return
            }
            if flags.sharpV {
                output += value.typeName + "{"
                for (i, item) in items.enumerated() {
                    if i > 0 { output += ", " }
                    printValue(item, verb, depth: depth + 1)
                }
                output += "}"
                return
            }
            output += "["
            for (i, item) in items.enumerated() {
                if i > 0 { output += " " }
                printValue(item, verb, depth: depth + 1)
            }
            output += "]"
        case .map(let entries, _):
            output += flags.sharpV ? value.typeName + "{" : "map["
            for (i, key) in entries.sortedKeys.enumerated() {
                if i > 0 { output += flags.sharpV ? ", " : " " }
                printValue(.string(key), verb, depth: depth + 1)
                output += ":"
                printValue(entries[key] ?? .null, verb, depth: depth + 1)
            }
            output += flags.sharpV ? "}" : "]"
        case .object(let object):
            if object.isNil && !"vsqxX".contains(verb) {
                badVerb(verb, value)
            } else if "vsqxX".contains(verb) {
                fmtString(object.isNil && object.formatted.isEmpty ? "<nil>" : object.formatted, verb == "v" ? "s" : verb, value)
            } else {
                badVerb(verb, value)
            }
        }
    }

    mutating func badVerb(_ verb: Character, _ value: TemplateValue) {
        output += "%!\(verb)("
        if value.isNull {
            output += "<nil>"
        } else {
            output += value.typeName + "="
            let saved = flags
            flags.sharpV = false
            flags.plusV = false
            printValue(value, "v", depth: 0)
            flags = saved
        }
        output += ")"
    }

    // MARK: padding

    mutating func pad(_ s: String) {
        guard flags.widthPresent && flags.width > 0 else {
            output += s
            return
        }
        let width = flags.width - s.unicodeScalars.count
        if width <= 0 {
            output += s
        } else if flags.minus {
            output += s + String(repeating: " ", count: width)
        } else {
            output += String(repeating: flags.zero ? "0" : " ", count: width) + s
        }
    }

    mutating func writePadding(_ n: Int) {
        if n > 0 { output += String(repeating: flags.zero ? "0" : " ", count: n) }
    }
}
