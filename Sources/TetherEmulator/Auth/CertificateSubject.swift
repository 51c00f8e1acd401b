/// Reads the subject's common name (the user) and organizations (the
/// groups) from a DER certificate, as the API server's x509 authenticator
/// does. A minimal DER walk: the certificate was already validated by TLS.
enum CertificateSubject {
    /// - Returns: `nil` when the DER is not a certificate this walk understands.
    static func user(fromDER der: [UInt8]) -> UserInfo? {
        var outer = DER(der[...])
        guard let certificate = outer.element(), certificate.tag == 0x30 else { return nil }
        var inner = DER(certificate.value)
        guard let tbsElement = inner.element() else { return nil }
        var tbs = DER(tbsElement.value)
        var fields: [DER.Element] = []
        while let element = tbs.element() { fields.append(element) }
        // version [0] is optional; then serial, signature, issuer, validity, subject.
        let offset = fields.first?.tag == 0xA0 ? 1 : 0
        guard fields.count > offset + 4 else { return nil }
        var name: String?
        var groups: [String] = []
        var rdns = DER(fields[offset + 4].value)
        while let set = rdns.element() {
            var attributes = DER(set.value)
            while let attribute = attributes.element() {
                var parts = DER(attribute.value)
                guard let oid = parts.element(), let value = parts.element() else { continue }
                let text = String(decoding: value.value, as: UTF8.self)
                switch Array(oid.value) {
                case [0x55, 0x04, 0x03]: name = text
                case [0x55, 0x04, 0x0A]: groups.append(text)
                default: break
                }
            }
        }
        guard let name else { return nil }
        return UserInfo(name: name, groups: groups)
    }

    /// A cursor over concatenated DER elements.
    struct DER {
        struct Element {
            var tag: UInt8
            var value: ArraySlice<UInt8>
        }

        private var bytes: ArraySlice<UInt8>
        init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

        /// The next element, or `nil` at the end or on malformed input.
        mutating func element() -> Element? {
            guard let tag = bytes.popFirst(), let first = bytes.popFirst() else { return nil }
            var length = Int(first)
            if first & 0x80 != 0 {
                let count = Int(first & 0x7F)
                guard count > 0, count <= 4, bytes.count >= count else { return nil }
                length = bytes.prefix(count).reduce(0) { $0 << 8 | Int($1) }
                bytes = bytes.dropFirst(count)
            }
            guard bytes.count >= length else { return nil }
            let value = bytes.prefix(length)
            bytes = bytes.dropFirst(length)
            return Element(tag: tag, value: value)
        }
    }
}
