#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fast byte searches over a string's UTF-8, for the YAML hot paths.
enum Bytes {
    /// Whether `s` contains the byte `b` (vectorised `memchr` on native
    /// strings).
    @inline(__always)
    static func contains(_ s: String, _ b: UInt8) -> Bool {
        if let found = s.utf8.withContiguousStorageIfAvailable({ buffer -> Bool in
            guard let base = buffer.baseAddress, buffer.count > 0 else { return false }
            return memchr(base, Int32(b), buffer.count) != nil
        }) {
            return found
        }
        return s.utf8.contains(b)
    }
}
