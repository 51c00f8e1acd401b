import Foundation
import TetherModel
package import TetherTemplate

/// A chart's `values.schema.json`, checked as Helm v4 checks it (with santhosh-tekuri's
/// jsonschema v6): the dialect named by `$schema` (draft 4, 6, 7, 2019-09; 2020-12 when there
/// is none), `$ref` to `#` and `#/json/pointer` inside the file, and errors printed as Helm
/// prints them (`- at '/replicas': got string, want integer`, causes indented below).
///
/// What v6 offers beyond that and charts do not use is refused, naming the keyword, rather
/// than skipped: references to other files or URLs, `$dynamicRef`, `$recursiveRef`,
/// `unevaluatedProperties`, `unevaluatedItems`. Formats are asserted only up to draft 7, as
/// v6 does, for `email`, `ipv4`, `ipv6`, `date`, `date-time`, `uuid` and `hostname` (the
/// checks are simpler than v6's, and only email's `missing @` reason is known to be v6's
/// wording); other format names pass, as unknown formats do there. Object properties are
/// checked in sorted order, where Helm's order follows Go's map iteration and varies.
package struct ValuesSchema: Sendable {
    /// The schema document.
    let document: Value
    /// 4, 6, 7, 2019 or 2020.
    let draft: Int

    /// Reads a schema.
    /// - Parameters:
    ///   - bytes: the file's contents.
    ///   - file: its path, for errors.
    /// - Throws: `HelmError` `.invalidChart` when it is not JSON or uses a refused keyword.
    package init(bytes: [UInt8], file: String) throws(HelmError) {
        do {
            document = try JSONParsing().value(from: bytes)
        } catch {
            throw HelmError(.invalidChart, "values.schema.json is not JSON: \(error.message). Fix the schema.", path: file, cause: error)
        }
        let dialect = document["$schema"]?.stringValue ?? ""
        if dialect.contains("draft-04") {
            draft = 4
        } else if dialect.contains("draft-06") {
            draft = 6
        } else if dialect.contains("draft-07") {
            draft = 7
        } else if dialect.contains("2019-09") {
            draft = 2019
        } else {
            draft = 2020
        }
        if let refused = Self.refusedKeyword(in: document) {
            throw HelmError(
                .invalidChart,
                "values.schema.json uses \(refused), which Tether does not check. Remove it, or render with --skip-schema-validation.",
                path: file)
        }
    }

    /// The first keyword or reference this checker refuses, described; nil when there is none.
    private static func refusedKeyword(in schema: Value) -> String? {
        switch schema {
        case .map(let m):
            for entry in m.entries {
                switch entry.key {
                case "$dynamicRef", "$recursiveRef", "unevaluatedProperties", "unevaluatedItems":
                    return "`\(entry.key)`"
                case "$ref":
                    if let ref = entry.value.stringValue, !ref.hasPrefix("#") {
                        return "`$ref: \(ref)` (a reference outside the file)"
                    }
                case "enum", "const", "default", "examples":
                    continue
                default:
                    break
                }
                if let found = refusedKeyword(in: entry.value) { return found }
            }
            return nil
        case .list(let items):
            for item in items { if let found = refusedKeyword(in: item) { return found } }
            return nil
        default:
            return nil
        }
    }

    /// One validation error, shaped as v6's `ValidationError` tree.
    struct Failure {
        enum Kind {
            case plain(String)
            /// `validation failed` over several errors at one location.
            case group
            /// A `$ref` that failed; shown only when it has more than one cause.
            case reference
        }
        var location: [String]
        var kind: Kind
        var causes: [Failure] = []
    }

    /// Checks `values`.
    /// - Returns: Helm's text of the errors (each `- at 'PATH': MESSAGE` line, nested causes
    ///   indented, a final newline), or nil when the values conform.
    package func violations(of values: TemplateValue) -> String? {
        guard let failure = check(document, values, at: []) else { return nil }
        var causes: [Failure]
        if case .group = failure.kind { causes = failure.causes } else { causes = [failure] }
        var out = ""
        for cause in causes { Self.display(cause, indent: 1, into: &out) }
        return String(out.dropFirst()) + "\n"
    }

    private static func display(_ failure: Failure, indent: Int, into out: inout String) {
        var indent = indent
        let skipped: Bool = { if case .reference = failure.kind { return failure.causes.count == 1 } else { return false } }()
        if !skipped {
            out += "\n" + String(repeating: "  ", count: indent - 1) + "- "
            out += "at " + quote(failure.location.map { "/" + JSONPointer.escape($0) }.joined()) + ": "
            switch failure.kind {
            case .plain(let message): out += message
            case .group, .reference: out += "validation failed"
            }
            indent += 1
        }
        for cause in failure.causes { display(cause, indent: indent, into: &out) }
    }

    // MARK: validation

    /// v6's `validator.validate`: nil when `value` conforms to `schema`.
    private func check(_ schema: Value, _ value: TemplateValue, at location: [String]) -> Failure? {
        switch schema {
        case .bool(true): return nil
        case .bool(false): return Failure(location: location, kind: .plain("false schema"))
        case .map: break
        default: return nil
        }
        func fail(_ message: String) -> Failure { Failure(location: location, kind: .plain(message)) }
        let type = Self.jsonType(value)

        // type, const, enum, format end the check on failure
        if let types = Self.types(schema["type"]), !types.isEmpty {
            let matched = types.contains(type) || (types.contains("integer") && type == "number" && Self.isInteger(value))
            if !matched {
                let order = ["null", "boolean", "number", "integer", "string", "array", "object"]
                let want = order.filter(types.contains).joined(separator: " or ")
                return fail("got \(type), want \(want)")
            }
        }
        if let want = schema["const"], !Self.equal(value, want) {
            switch want {
            case .list, .map: return fail("'const' failed")
            default: return fail("value must be \(Self.display(want))")
            }
        }
        if case .list(let options)? = schema["enum"], !options.contains(where: { Self.equal(value, $0) }) {
            if options.contains(where: { if case .list = $0 { return true }; if case .map = $0 { return true }; return false }) {
                return fail("'enum' failed")
            }
            if options.count == 1 { return fail("value must be \(Self.display(options[0]))") }
            return fail("value must be one of \(options.map(Self.display).joined(separator: ", "))")
        }
        if draft <= 7, let format = schema["format"]?.stringValue, case .string(let s) = value, let problem = FormatCheck.problem(s, format: format) {
            return fail("\(Self.quote(s)) is not valid \(format): \(problem)")
        }

        var errors: [Failure] = []
        if let ref = schema["$ref"]?.stringValue {
            let refError = checkReference(ref, value, at: location)
            if draft < 2019 { return refError }
            if let refError { errors.append(refError) }
        }

        switch value {
        case .map(let object, _): checkObject(schema, object.entries, at: location, into: &errors)
        case .list(let items, _): checkArray(schema, items, at: location, into: &errors)
        case .string(let s): checkString(schema, s, at: location, into: &errors)
        case .int, .uint, .float: checkNumber(schema, value, at: location, into: &errors)
        default: break
        }
        checkConditions(schema, value, at: location, into: &errors)

        switch errors.count {
        case 0: return nil
        case 1: return errors[0]
        default: return Failure(location: location, kind: .group, causes: errors)
        }
    }

    private func checkReference(_ ref: String, _ value: TemplateValue, at location: [String]) -> Failure? {
        let target: Value
        let fragment = String(ref.dropFirst())  // "#..." only (others are refused on load)
        if fragment.isEmpty {
            target = document
        } else if let pointer = try? JSONPointer(fragment.removingPercentEncoding ?? fragment), let found = pointer.value(in: document) {
            target = found
        } else {
            return Failure(location: location, kind: .plain("$ref \(Self.quote(ref)) names nothing in values.schema.json"))
        }
        guard let failure = check(target, value, at: location) else { return nil }
        if case .group = failure.kind { return Failure(location: location, kind: .reference, causes: failure.causes) }
        return Failure(location: location, kind: .reference, causes: [failure])
    }

    private func checkObject(_ schema: Value, _ object: [String: TemplateValue], at location: [String], into errors: inout [Failure]) {
        func fail(_ message: String) -> Failure { Failure(location: location, kind: .plain(message)) }
        if let min = Self.int(schema["minProperties"]), object.count < min {
            errors.append(fail("minProperties: got \(Self.localized(object.count)), want \(Self.localized(min))"))
        }
        if let max = Self.int(schema["maxProperties"]), object.count > max {
            errors.append(fail("maxProperties: got \(Self.localized(object.count)), want \(Self.localized(max))"))
        }
        if case .list(let required)? = schema["required"] {
            let missing = required.compactMap(\.stringValue).filter { object[$0] == nil }
            if missing.count == 1 {
                errors.append(fail("missing property \(Self.quote(missing[0]))"))
            } else if !missing.isEmpty {
                errors.append(fail("missing properties \(missing.map(Self.quote).joined(separator: ", "))"))
            }
        }
        if draft < 2019, case .map(let dependencies)? = schema["dependencies"] {
            for entry in dependencies.entries.sorted(by: { $0.key < $1.key }) where object[entry.key] != nil {
                if case .list(let names) = entry.value {
                    let missing = names.compactMap(\.stringValue).filter { object[$0] == nil }
                    if !missing.isEmpty {
                        errors.append(fail("properties \(missing.map(Self.quote).joined(separator: ", ")) required, if \(Self.quote(entry.key)) exists"))
                    }
                } else if let failure = check(entry.value, .map(object), at: location) {
                    errors.append(failure)
                }
            }
        }
        let properties = schema["properties"]?.mapValue
        var patterns: [(GoRegexp, Value)] = []
        if case .map(let m)? = schema["patternProperties"] {
            for entry in m.entries { if let re = try? GoRegexp(entry.key) { patterns.append((re, entry.value)) } }
        }
        var additional: [String] = []
        for key in object.keys.sorted() {
            let item = object[key]!
            var evaluated = false
            if let sub = properties?[key] {
                evaluated = true
                if let failure = check(sub, item, at: location + [key]) { errors.append(failure) }
            }
            for (re, sub) in patterns where re.matches(key) {
                evaluated = true
                if let failure = check(sub, item, at: location + [key]) { errors.append(failure) }
            }
            if !evaluated, let extra = schema["additionalProperties"] {
                if case .bool(false) = extra {
                    additional.append(key)
                } else if case .map = extra, let failure = check(extra, item, at: location + [key]) {
                    errors.append(failure)
                }
            }
        }
        if !additional.isEmpty {
            errors.append(fail("additional properties \(additional.map(Self.quote).joined(separator: ", ")) not allowed"))
        }
        if draft == 4 { return }
        if let names = schema["propertyNames"] {
            for key in object.keys.sorted() {
                if let failure = check(names, .string(key), at: []) {
                    let causes: [Failure]
                    if case .group = failure.kind { causes = failure.causes } else { causes = [failure] }
                    errors.append(Failure(location: [], kind: .plain("invalid propertyName \(Self.quote(key))"), causes: causes))
                }
            }
        }
        if draft == 6 || draft < 2019 { return }
        if case .map(let dependent)? = schema["dependentSchemas"] {
            for entry in dependent.entries.sorted(by: { $0.key < $1.key }) where object[entry.key] != nil {
                if let failure = check(entry.value, .map(object), at: location) { errors.append(failure) }
            }
        }
        if case .map(let dependent)? = schema["dependentRequired"] {
            for entry in dependent.entries.sorted(by: { $0.key < $1.key }) where object[entry.key] != nil {
                let missing = (entry.value.listValue ?? []).compactMap(\.stringValue).filter { object[$0] == nil }
                if !missing.isEmpty {
                    errors.append(fail("properties \(missing.map(Self.quote).joined(separator: ", ")) required, if \(Self.quote(entry.key)) exists"))
                }
            }
        }
    }

    private func checkArray(_ schema: Value, _ items: [TemplateValue], at location: [String], into errors: inout [Failure]) {
        func fail(_ message: String) -> Failure { Failure(location: location, kind: .plain(message)) }
        if let min = Self.int(schema["minItems"]), items.count < min {
            errors.append(fail("minItems: got \(Self.localized(items.count)), want \(Self.localized(min))"))
        }
        if let max = Self.int(schema["maxItems"]), items.count > max {
            errors.append(fail("maxItems: got \(Self.localized(items.count)), want \(Self.localized(max))"))
        }
        if case .bool(true)? = schema["uniqueItems"], items.count > 1 {
            search: for i in 0..<items.count {
                for j in (i + 1)..<items.count where Self.equal(items[i], items[j]) {
                    errors.append(fail("items at \(Self.localized(i)) and \(Self.localized(j)) are equal"))
                    break search
                }
            }
        }
        if draft < 2020 {
            var evaluated = 0
            switch schema["items"] {
            case .list(let tuple)?:
                evaluated = min(items.count, tuple.count)
                for i in 0..<evaluated {
                    if let failure = check(tuple[i], items[i], at: location + [String(i)]) { errors.append(failure) }
                }
            case let sub?:
                for (i, item) in items.enumerated() {
                    if let failure = check(sub, item, at: location + [String(i)]) { errors.append(failure) }
                }
                evaluated = items.count
            case nil:
                break
            }
            switch schema["additionalItems"] {
            case .bool(false)? where evaluated != items.count && schema["items"]?.listValue != nil:
                errors.append(fail("last \(Self.localized(items.count - evaluated)) additionalItem(s) not allowed"))
            case let extra? where extra.mapValue != nil && schema["items"]?.listValue != nil:
                // v6 names these items by their position after the tuple, not in the list
                for (i, item) in items[evaluated...].enumerated() {
                    if let failure = check(extra, item, at: location + [String(i)]) { errors.append(failure) }
                }
            default:
                break
            }
        } else {
            let prefix = schema["prefixItems"]?.listValue ?? []
            let evaluated = min(prefix.count, items.count)
            for i in 0..<evaluated {
                if let failure = check(prefix[i], items[i], at: location + [String(i)]) { errors.append(failure) }
            }
            if let sub = schema["items"] {
                // v6 numbers the items after prefixItems from 0
                for (i, item) in items[evaluated...].enumerated() {
                    if let failure = check(sub, item, at: location + [String(i)]) { errors.append(failure) }
                }
            }
        }
        if let contains = schema["contains"] {
            var failures: [Failure] = []
            var matched: [Int] = []
            for (i, item) in items.enumerated() {
                if let failure = check(contains, item, at: location + [String(i)]) { failures.append(failure) } else { matched.append(i) }
            }
            if draft >= 2019, let minimum = Self.int(schema["minContains"]) {
                if matched.count < minimum {
                    let message = matched.isEmpty
                        ? "min \(Self.localized(minimum)) items required to match contains schema, but none matched"
                        : "min \(Self.localized(minimum)) items required to match contains schema, but matched \(Self.localized(matched.count)) items at \(matched.map(String.init).joined(separator: " "))"
                    errors.append(Failure(location: location, kind: .plain(message), causes: failures))
                }
            } else if matched.isEmpty {
                errors.append(Failure(location: location, kind: .plain("no items match contains schema"), causes: failures))
            }
            if draft >= 2019, let maximum = Self.int(schema["maxContains"]), matched.count > maximum {
                errors.append(fail("max \(Self.localized(maximum)) items required to match contains schema, but matched \(Self.localized(matched.count)) items at \(matched.map(String.init).joined(separator: " "))"))
            }
        }
    }

    private func checkString(_ schema: Value, _ s: String, at location: [String], into errors: inout [Failure]) {
        func fail(_ message: String) -> Failure { Failure(location: location, kind: .plain(message)) }
        let length = s.unicodeScalars.count
        if let min = Self.int(schema["minLength"]), length < min {
            errors.append(fail("minLength: got \(Self.localized(length)), want \(Self.localized(min))"))
        }
        if let max = Self.int(schema["maxLength"]), length > max {
            errors.append(fail("maxLength: got \(Self.localized(length)), want \(Self.localized(max))"))
        }
        if let pattern = schema["pattern"]?.stringValue, let re = try? GoRegexp(pattern), !re.matches(s) {
            errors.append(fail("\(Self.quote(s)) does not match pattern \(Self.quote(pattern))"))
        }
    }

    private func checkNumber(_ schema: Value, _ value: TemplateValue, at location: [String], into errors: inout [Failure]) {
        guard let number = Self.decimal(value) else { return }
        func fail(_ name: String, _ want: Decimal) {
            errors.append(Failure(location: location, kind: .plain("\(name): got \(Self.localized(number)), want \(Self.localized(want))")))
        }
        let minimum = Self.decimal(schema["minimum"]), maximum = Self.decimal(schema["maximum"])
        if draft == 4 {
            if let minimum {
                if case .bool(true)? = schema["exclusiveMinimum"] {
                    if number <= minimum { fail("exclusiveMinimum", minimum) }
                } else if number < minimum {
                    fail("minimum", minimum)
                }
            }
            if let maximum {
                if case .bool(true)? = schema["exclusiveMaximum"] {
                    if number >= maximum { fail("exclusiveMaximum", maximum) }
                } else if number > maximum {
                    fail("maximum", maximum)
                }
            }
        } else {
            if let minimum, number < minimum { fail("minimum", minimum) }
            if let maximum, number > maximum { fail("maximum", maximum) }
            if let bound = Self.decimal(schema["exclusiveMinimum"]), number <= bound { fail("exclusiveMinimum", bound) }
            if let bound = Self.decimal(schema["exclusiveMaximum"]), number >= bound { fail("exclusiveMaximum", bound) }
        }
        if let step = Self.decimal(schema["multipleOf"]), step != 0 {
            var quotient = number / step
            var rounded = Decimal()
            NSDecimalRound(&rounded, &quotient, 0, .plain)
            if rounded != quotient { fail("multipleOf", step) }
        }
    }

    private func checkConditions(_ schema: Value, _ value: TemplateValue, at location: [String], into errors: inout [Failure]) {
        if let not = schema["not"], check(not, value, at: location) == nil {
            errors.append(Failure(location: location, kind: .plain("'not' failed")))
        }
        if case .list(let all)? = schema["allOf"] {
            let failures = all.compactMap { check($0, value, at: location) }
            if !failures.isEmpty { errors.append(Failure(location: location, kind: .plain("'allOf' failed"), causes: failures)) }
        }
        if case .list(let any)? = schema["anyOf"] {
            var failures: [Failure] = []
            var matched = false
            for sub in any {
                if let failure = check(sub, value, at: location) { failures.append(failure) } else { matched = true; break }
            }
            if !matched { errors.append(Failure(location: location, kind: .plain("'anyOf' failed"), causes: failures)) }
        }
        if case .list(let one)? = schema["oneOf"] {
            var matched = -1
            var failures: [Failure] = []
            for (i, sub) in one.enumerated() {
                if let failure = check(sub, value, at: location) {
                    if matched == -1 { failures.append(failure) }
                } else if matched == -1 {
                    matched = i
                } else {
                    errors.append(Failure(location: location, kind: .plain("'oneOf' failed, subschemas \(matched), \(i) matched")))
                    break
                }
            }
            if matched == -1 { errors.append(Failure(location: location, kind: .plain("'oneOf' failed, none matched"), causes: failures)) }
        }
        if draft >= 7, let condition = schema["if"] {
            if check(condition, value, at: location) == nil {
                if let then = schema["then"], let failure = check(then, value, at: location) { errors.append(failure) }
            } else if let otherwise = schema["else"], let failure = check(otherwise, value, at: location) {
                errors.append(failure)
            }
        }
    }

    // MARK: values

    /// v6's JSON type names; every number is a `number` (integers are numbers whose value is whole).
    private static func jsonType(_ value: TemplateValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .int, .uint, .float: return "number"
        case .string: return "string"
        case .list: return "array"
        case .map: return "object"
        case .complex, .object: return "object"
        }
    }

    private static func types(_ value: Value?) -> Set<String>? {
        switch value {
        case .string(let s)?: return [s]
        case .list(let items)?: return Set(items.compactMap(\.stringValue))
        default: return nil
        }
    }

    private static func isInteger(_ value: TemplateValue) -> Bool {
        switch value {
        case .int, .uint: return true
        case .float(let d, _): return d.isFinite && d.rounded() == d
        default: return false
        }
    }

    private static func int(_ value: Value?) -> Int? {
        switch value {
        case .int(let i)?: return i
        case .uint(let u)?: return Int(exactly: u)
        case .float(let d)?: return d.rounded() == d ? Int(exactly: d) : nil
        default: return nil
        }
    }

    /// The exact decimal value of a number, as v6 reads it (`big.Rat` of its `%v` text).
    private static func decimal(_ value: TemplateValue) -> Decimal? {
        switch value {
        case .int(let i, _): return Decimal(i)
        case .uint(let u, _): return Decimal(u)
        case .float(let d, _): return d.isFinite ? Decimal(string: "\(d)", locale: Locale(identifier: "en_US_POSIX")) : nil
        default: return nil
        }
    }

    private static func decimal(_ value: Value?) -> Decimal? {
        switch value {
        case .int(let i)?: return Decimal(i)
        case .uint(let u)?: return Decimal(u)
        case .float(let d)?: return d.isFinite ? Decimal(string: "\(d)", locale: Locale(identifier: "en_US_POSIX")) : nil
        default: return nil
        }
    }

    /// v6's `equals`: numbers by value, everything else by type and content.
    private static func equal(_ a: TemplateValue, _ b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.list(let xs, _), .list(let ys)): return xs.count == ys.count && zip(xs, ys).allSatisfy { equal($0, $1) }
        case (.map(let xm, _), .map(let ym)):
            let x = xm.entries
            return x.count == ym.entries.count && ym.entries.allSatisfy { e in x[e.key].map { equal($0, e.value) } ?? false }
        default:
            guard let x = decimal(a), let y = decimal(b) else { return false }
            return x == y
        }
    }

    private static func equal(_ a: TemplateValue, _ b: TemplateValue) -> Bool {
        equal(a, schemaValue(b))
    }

    /// A template value as a JSON value, for comparing two instance values.
    private static func schemaValue(_ v: TemplateValue) -> Value {
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i, _): return .int(Int(i))
        case .uint(let u, _): return .uint(UInt(u))
        case .float(let d, _): return .float(d)
        case .string(let s): return .string(s)
        case .list(let items, _): return .list(items.map(schemaValue))
        case .map(let m, _):
            var out = OrderedMap()
            for key in m.entries.keys.sorted() { out[key] = schemaValue(m.entries[key]!) }
            return .map(out)
        case .complex, .object: return .null
        }
    }

    // MARK: text

    /// v6's `display` of an enum or const item: strings quoted, `<nil>`, Go's `%v` of numbers.
    private static func display(_ value: Value) -> String {
        switch value {
        case .string(let s): return quote(s)
        case .null: return "<nil>"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .uint(let u): return String(u)
        case .float(let d): return GoFloat.gFormat(d)
        case .list, .map: return "value"
        }
    }

    /// v6's `quote`: Go's `%q` inside single quotes, `"` unescaped and `'` escaped.
    static func quote(_ s: String) -> String {
        let q = goQuote(s)
        let inner = q.dropFirst().dropLast().replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "'", with: "\\'")
        return "'" + inner + "'"
    }

    /// An integer as golang.org/x/text's English printer writes it: digits grouped by commas.
    private static func localized(_ i: Int) -> String {
        grouped(String(i.magnitude), negative: i < 0)
    }

    /// A float64 as x/text's English printer writes `%v`: Go's shortest `%g` choice of form,
    /// the integer part grouped by commas, an exponent as `×10` and superscript digits.
    private static func localized(_ d: Decimal) -> String {
        let double = NSDecimalNumber(decimal: d).doubleValue
        let text = GoFloat.gFormat(double)
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        if let e = body.firstIndex(of: "e") {
            let mantissa = String(body[..<e])
            let exponent = body[body.index(after: e)...]
            let superscripts: [Character: String] = [
                "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻", "+": "",
            ]
            return (negative ? "-" : "") + mantissa + "×10" + exponent.map { superscripts[$0] ?? String($0) }.joined()
        }
        let parts = body.split(separator: ".", maxSplits: 1)
        let whole = grouped(String(parts[0]), negative: negative)
        return parts.count == 2 ? whole + "." + parts[1] : whole
    }

    private static func grouped(_ digits: String, negative: Bool) -> String {
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (negative ? "-" : "") + out
    }
}

/// The formats v6 asserts (up to draft 7) that charts use; the reasons are Tether's wording
/// except email's `missing @`.
enum FormatCheck {
    /// Why `s` is not of `format`; nil when it is, or the format is not checked.
    static func problem(_ s: String, format: String) -> String? {
        switch format {
        case "email":
            guard let at = s.lastIndex(of: "@") else { return "missing @" }
            let local = s[..<at], domain = s[s.index(after: at)...]
            if local.isEmpty { return "empty local part" }
            if domain.isEmpty { return "empty domain" }
            return nil
        case "ipv4":
            let parts = s.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count != 4 { return "expected four decimals" }
            for part in parts {
                guard let n = Int(part), n >= 0, n <= 255, !part.isEmpty, part.allSatisfy(\.isASCII) else { return "invalid decimal \(goQuote(String(part)))" }
                if part.count > 1 && part.hasPrefix("0") { return "leading zeros" }
            }
            return nil
        case "ipv6":
            return s.contains(":") && !s.contains("%") && s.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) ? nil : "invalid ipv6"
        case "uuid":
            let groups = s.split(separator: "-", omittingEmptySubsequences: false)
            guard groups.map(\.count) == [8, 4, 4, 4, 12], groups.allSatisfy({ $0.allSatisfy(\.isHexDigit) }) else { return "invalid uuid" }
            return nil
        case "date":
            return isDate(Substring(s)) ? nil : "invalid date"
        case "date-time":
            guard let t = s.firstIndex(where: { $0 == "T" || $0 == "t" }), isDate(s[..<t]) else { return "invalid date-time" }
            return nil
        case "hostname":
            let name = s.hasSuffix(".") ? String(s.dropLast()) : s
            if name.utf8.count > 253 { return "more than 253 characters long" }
            for label in name.split(separator: ".", omittingEmptySubsequences: false) {
                if label.isEmpty || label.utf8.count > 63 { return "invalid label length" }
                if label.hasPrefix("-") || label.hasSuffix("-") { return "label starts or ends with hyphen" }
                if !label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) { return "invalid character in label" }
            }
            return nil
        default:
            return nil
        }
    }

    private static func isDate(_ s: Substring) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.map(\.count) == [4, 2, 2], let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return false }
        guard (1...12).contains(m), d >= 1 else { return false }
        let days = [31, (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return d <= days[m - 1]
    }
}
