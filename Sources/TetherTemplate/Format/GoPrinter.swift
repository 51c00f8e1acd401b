struct GoPrinter {
    var output = ""
    mutating func doPrint(_ arguments: [TemplateValue]) {}
    mutating func doPrintln(_ arguments: [TemplateValue]) {}
    mutating func doPrintf(_ format: String, _ arguments: [TemplateValue]) {}
}
enum GoFloatFormat {
    static func shortest(_ value: Double, bitSize: Int, format: Character, precision: Int) -> String { "" }
}
