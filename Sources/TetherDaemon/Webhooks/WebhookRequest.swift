/// A webhook request as the receiver sees it: headers and the raw body, independent of
/// the HTTP server so the checks can be tested with plain values.
package struct WebhookRequest: Sendable {
    /// Header names in lower case; a repeated header keeps its first value.
    package private(set) var headers: [String: String]
    /// The body exactly as received; signatures are computed over these bytes.
    package var body: [UInt8]

    /// - Parameters:
    ///   - headers: name/value pairs in any case.
    ///   - body: the raw body.
    package init(headers: [(String, String)], body: [UInt8]) {
        var map: [String: String] = [:]
        for (name, value) in headers where map[name.lowercased()] == nil {
            map[name.lowercased()] = value
        }
        self.headers = map
        self.body = body
    }

    /// The value of a header, by name in any case.
    package subscript(header name: String) -> String? { headers[name.lowercased()] }
}
