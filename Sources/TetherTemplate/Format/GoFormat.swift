import TetherModel

/// Go's `fmt` for template values: what `print`, `printf`, `println` and `{{.}}` produce, for
/// every kind of value (`%v` of a float64 is `strconv`'s shortest `'g'` form with an exponent
/// from 1e+21 up, maps print as `map[a:1 b:2]` in sorted key order, slices as `[a b]`, nil
/// as `<nil>`), with Go's verbs, flags, width and precision and its `%!d(string=x)` errors.
package enum GoFormat {
    /// `fmt.Sprint`: operands side by side, with a space between two that are both not strings.
    /// - Parameter arguments: the operands.
    /// - Returns: the text.
    package static func sprint(_ arguments: [TemplateValue]) -> String {
        var printer = GoPrinter()
        printer.doPrint(arguments)
        return printer.output
    }

    /// `fmt.Sprintln`: operands separated by spaces, then a newline.
    /// - Parameter arguments: the operands.
    /// - Returns: the text.
    package static func sprintln(_ arguments: [TemplateValue]) -> String {
        var printer = GoPrinter()
        printer.doPrintln(arguments)
        return printer.output
    }

    /// `fmt.Sprintf`.
    /// - Parameters:
    ///   - format: the format with Go's verbs.
    ///   - arguments: the operands.
    /// - Returns: the text; mistakes show inline as Go shows them (`%!d(string=x)`,
    ///   `%!(EXTRA int=1)`, `%!v(MISSING)`), which is not an error.
    package static func sprintf(_ format: String, _ arguments: [TemplateValue]) -> String {
        var printer = GoPrinter()
        printer.doPrintf(format, arguments)
        return printer.output
    }

    /// `%v` of one value (`fmt.Sprint(v)`).
    /// - Parameter value: the value.
    /// - Returns: the text.
    package static func string(_ value: TemplateValue) -> String {
        sprint([value])
    }

    /// `strconv.FormatFloat(f, 'g', -1, 64)`: shortest round-trip digits, exponent form when
    /// the exponent is below -4 or at least 21 (`1e+21`, `1e-05`, `123456.789`).
    /// - Parameter value: the number.
    /// - Returns: the text.
    package static func shortestFloat(_ value: Double) -> String {
        GoFloatFormat.shortest(value, bitSize: 64, format: "g", precision: -1)
    }
}
