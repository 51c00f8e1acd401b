#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps deeply nested templates from overflowing the thread's stack. Go grows goroutine
/// stacks to 1 GB, so its limits (100000 nested template calls, 10000 nested parentheses) are
/// far beyond what a Swift thread (512 KiB on secondary threads) survives; input must never
/// crash the process, so parsing and execution stop with an error when less than
/// `reserve` bytes of stack are left.
#if canImport(Glibc)
// glibc's pthread_getattr_np is a GNU extension the Glibc module does not export; it is a
// plain C function, so it can be bound by its symbol name.
@_silgen_name("pthread_getattr_np")
private func tether_pthread_getattr_np(_ thread: pthread_t, _ attr: UnsafeMutablePointer<pthread_attr_t>) -> Int32
#endif

struct StackGuard {
    private let limit: UInt

    /// Bytes kept free for the frames between two checks and for error handling.
    private static let reserve: UInt = 128 * 1024

    init() {
        var here = 0
        let current = withUnsafeMutablePointer(to: &here) { UInt(bitPattern: $0) }
        if let low = Self.stackLow(), current > low + Self.reserve {
            limit = low + Self.reserve
        } else {
            limit = 0
        }
    }

    /// Whether the stack still has room for more nesting.
    var hasRoom: Bool {
        var here = 0
        let current = withUnsafeMutablePointer(to: &here) { UInt(bitPattern: $0) }
        return current > limit
    }

    private static func stackLow() -> UInt? {
        #if canImport(Glibc)
        var attr = pthread_attr_t()
        guard tether_pthread_getattr_np(pthread_self(), &attr) == 0 else { return nil }
        defer { pthread_attr_destroy(&attr) }
        var base: UnsafeMutableRawPointer?
        var size = 0
        guard pthread_attr_getstack(&attr, &base, &size) == 0, let base else { return nil }
        return UInt(bitPattern: base)
        #elseif canImport(Darwin)
        let top = UInt(bitPattern: pthread_get_stackaddr_np(pthread_self()))
        let size = UInt(pthread_get_stacksize_np(pthread_self()))
        return top - size
        #else
        return nil
        #endif
    }
}
