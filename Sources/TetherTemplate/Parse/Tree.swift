/// One parsed template: its name, the text it came from (for error positions) and its nodes.
struct Tree: Sendable {
    var name: String
    /// The name of the text it was parsed from (Go's ParseName).
    var parseName: String
    var text: String
    var root: ListNode

    var isEmpty: Bool { root.isEmptyTree }
}
