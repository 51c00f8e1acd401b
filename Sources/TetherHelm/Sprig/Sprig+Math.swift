import Foundation
import TetherTemplate

/// Sprig's numeric functions (numeric.go): integer ones work on int64 as Go does, the `f`
/// ones on float64 through decimal arithmetic (shopspring/decimal in Sprig).
extension Sprig {
    static var math: [String: TemplateFunction] {
        var f: [String: TemplateFunction] = [:]
        f["atoi"] = TemplateFunction([.string]) { a, _ in .int(Int64(str(a, 0)) ?? 0) }
        f["int"] = TemplateFunction([.any]) { a, _ in .int(toInt64(a[0])) }
        f["int64"] = TemplateFunction([.any]) { a, _ in .int(toInt64(a[0]), .int64) }
        f["float64"] = TemplateFunction([.any]) { a, _ in .float(toFloat64(a[0])) }
        f["toDecimal"] = TemplateFunction([.any]) { a, _ in .int(Int64(strval(a[0]), radix: 8) ?? 0, .int64) }
        f["add1"] = TemplateFunction([.any]) { a, _ in .int(toInt64(a[0]) &+ 1, .int64) }
        f["add"] = TemplateFunction(variadic: .any) { a, _ in .int(a.reduce(0) { $0 &+ toInt64($1) }, .int64) }
        f["sub"] = TemplateFunction([.any, .any]) { a, _ in .int(toInt64(a[0]) &- toInt64(a[1]), .int64) }
        f["mul"] = TemplateFunction([.any], variadic: .any) { a, _ in .int(a.dropFirst().reduce(toInt64(a[0])) { $0 &* toInt64($1) }, .int64) }
        f["div"] = TemplateFunction([.any, .any]) { a, _ in
            let d = toInt64(a[1])
            guard d != 0 else { throw SprigError("runtime error: integer divide by zero") }
            return .int(toInt64(a[0]).dividedReportingOverflow(by: d).partialValue, .int64)
        }
        f["mod"] = TemplateFunction([.any, .any]) { a, _ in
            let d = toInt64(a[1])
            guard d != 0 else { throw SprigError("runtime error: integer divide by zero") }
            return .int(toInt64(a[0]).remainderReportingOverflow(dividingBy: d).partialValue, .int64)
        }
        let biggest = TemplateFunction([.any], variadic: .any) { a, _ in .int(a.map(toInt64).max()!, .int64) }
        f["max"] = biggest
        f["biggest"] = biggest
        f["min"] = TemplateFunction([.any], variadic: .any) { a, _ in .int(a.map(toInt64).min()!, .int64) }
        f["maxf"] = TemplateFunction([.any], variadic: .any) { a, _ in .float(a.dropFirst().reduce(toFloat64(a[0])) { goMax($0, toFloat64($1)) }) }
        f["minf"] = TemplateFunction([.any], variadic: .any) { a, _ in .float(a.dropFirst().reduce(toFloat64(a[0])) { goMin($0, toFloat64($1)) }) }
        f["add1f"] = TemplateFunction([.any]) { a, _ in .float(decimal([a[0], .float(1)], +)) }
        f["addf"] = TemplateFunction(variadic: .any) { a, _ in .float(decimal([.float(0)] + a, +)) }
        f["subf"] = TemplateFunction([.any], variadic: .any) { a, _ in .float(decimal(a, -)) }
        f["mulf"] = TemplateFunction([.any], variadic: .any) { a, _ in .float(decimal(a, *)) }
        f["divf"] = TemplateFunction([.any], variadic: .any) { a, _ in
            guard a.dropFirst().allSatisfy({ toFloat64($0) != 0 }) else { throw SprigError("division by zero") }
            return .float(decimal(a, /))
        }
        f["ceil"] = TemplateFunction([.any]) { a, _ in .float(toFloat64(a[0]).rounded(.up)) }
        f["floor"] = TemplateFunction([.any]) { a, _ in .float(toFloat64(a[0]).rounded(.down)) }
        f["round"] = TemplateFunction([.any, .int], variadic: .float64) { a, _ in
            let roundOn: Double = a.count > 2 ? toFloat64(a[2]) : 0.5
            let pow = Foundation.pow(10, Double(int(a, 1)))
            let digit = pow * toFloat64(a[0])
            let fraction = digit - digit.rounded(.towardZero)
            return .float((fraction >= roundOn ? digit.rounded(.up) : digit.rounded(.down)) / pow)
        }
        f["randInt"] = TemplateFunction([.int, .int]) { a, _ in
            let lo = int(a, 0), hi = int(a, 1)
            guard hi > lo else { throw SprigError("invalid argument to Intn") }
            return .int(Int64(Int.random(in: lo..<hi)))
        }
        return f
    }

    /// Go's `math.Max`/`math.Min` (NaN wins).
    static func goMax(_ x: Double, _ y: Double) -> Double { x.isNaN || y.isNaN ? .nan : Swift.max(x, y) }
    static func goMin(_ x: Double, _ y: Double) -> Double { x.isNaN || y.isNaN ? .nan : Swift.min(x, y) }

    /// shopspring/decimal: each float64 taken at its shortest decimal spelling, the operation
    /// done in decimal, the result read back as the nearest float64.
    static func decimal(_ values: [TemplateValue], _ op: (Decimal, Decimal) -> Decimal) -> Double {
        func dec(_ v: TemplateValue) -> Decimal {
            let d = toFloat64(v)
            return Decimal(string: GoFormat.shortestFloat(d).replacingOccurrences(of: "e+", with: "e")) ?? Decimal(d)
        }
        var result = dec(values[0])
        for v in values.dropFirst() { result = op(result, dec(v)) }
        return Double(result.description) ?? 0
    }
}
