import COpenSSL
package import TetherModel

/// The ApplySet identity defined by KEP-3659: a label value derived from the
/// parent object's name, namespace, kind and group, so that a parent cannot
/// claim another set's members.
///
/// `applyset-` + base64url (no padding) of SHA-256 over `NAME.NAMESPACE.KIND.GROUP`
/// + `-v1`, exactly as `kubectl apply --applyset` computes it.
package enum ApplySetID {
    /// The label (on the parent) and annotation key whose value is the id.
    package static let idLabel = "applyset.kubernetes.io/id"
    /// The label every member carries, valued with the parent's id.
    package static let partOfLabel = "applyset.kubernetes.io/part-of"
    /// The annotation naming the tool that manages the set, `NAME/VERSION`.
    package static let toolingAnnotation = "applyset.kubernetes.io/tooling"
    /// The annotation listing member group-kinds, `Kind.group` comma separated and sorted.
    package static let containsGroupKindsAnnotation = "applyset.kubernetes.io/contains-group-kinds"
    /// The annotation listing namespaces beyond the parent's own, comma separated and sorted.
    package static let additionalNamespacesAnnotation = "applyset.kubernetes.io/additional-namespaces"

    /// The id for a parent object.
    package static func id(forParent parent: ResourceID) -> String {
        let digest = SHA256Digest.of(Array("\(parent.name).\(parent.namespace).\(parent.kind).\(parent.group)".utf8))
        return "applyset-" + base64URL(digest) + "-v1"
    }

    /// RFC 4648 base64url without padding.
    static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let n = UInt32(bytes[index]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)]]
        } else if rest == 2 {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)]]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
