internal import CCurl

/// Process-wide libcurl setup.
package enum CurlLibrary {
    /// Runs `curl_global_init` once for the process. `tether` calls it at startup; the
    /// client calls it again (a no-op) so library users and tests cannot forget.
    package static func initialize() {
        _ = initialized
    }

    /// The linked libcurl version string, e.g. `7.88.1`.
    package static var version: String {
        initialize()
        guard let info = tether_curl_version_info(), let text = info.pointee.version else { return "unknown" }
        return String(cString: text)
    }
}

/// Swift globals are initialised lazily under `swift_once`, so this runs exactly once.
private let initialized: Void = {
    _ = tether_curl_global_init_all()
}()
