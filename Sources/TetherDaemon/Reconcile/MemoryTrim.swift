#if canImport(Glibc)
import Glibc
#endif

/// Gives memory freed after a sync back to the operating system.
///
/// A sync of 10,000 objects holds the rendered objects, every live member and the plan at
/// once; glibc's allocator keeps those pages after they are freed, so a daemon's resident
/// size would stay at its sync peak while idle. `malloc_trim(0)` returns them. It is looked
/// up at run time (Swift's Glibc module does not declare it; other C libraries lack it),
/// and does nothing where it is missing.
enum MemoryTrim {
    private typealias Trim = @convention(c) (Int) -> Int32

    private static let trim: Trim? = {
        #if canImport(Glibc)
        // RTLD_DEFAULT: search the process's global symbols.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: Trim.self)
        #else
        return nil
        #endif
    }()

    static func releaseFreedMemory() {
        _ = trim?(0)
    }
}
