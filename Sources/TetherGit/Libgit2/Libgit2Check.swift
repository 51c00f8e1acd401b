internal import CGit2

/// Routes a libgit2 return code through one place, reading `git_error_last` in the same
/// synchronous frame as the failing call (libgit2 keeps its last error per thread).
/// - Parameters:
///   - result: the return code of the libgit2 call.
///   - redactor: removes credentials from libgit2's message (it may quote the URL).
/// - Returns: the non-negative result.
/// - Throws: `Libgit2Failure` when `result` is negative.
@discardableResult
func check(_ result: Int32, redactor: URLRedactor = .none) throws(Libgit2Failure) -> Int32 {
    guard result < 0 else { return result }
    throw lastFailure(result, redactor: redactor)
}

/// Builds a `Libgit2Failure` from the thread's last libgit2 error.
func lastFailure(_ result: Int32, redactor: URLRedactor = .none) -> Libgit2Failure {
    var message = "unknown libgit2 error"
    var errorClass: Int32 = 0
    if let last = git_error_last() {
        errorClass = last.pointee.klass
        if let text = last.pointee.message { message = String(cString: text) }
    }
    return Libgit2Failure(result: result, errorClass: errorClass, message: redactor.redact(message))
}

extension Libgit2Failure {
    /// The closest `GitError.Code` for this failure when nothing more specific is known.
    var suggestedCode: GitError.Code {
        switch result {
        case GIT_EAUTH.rawValue: return .authentication
        case GIT_ECERTIFICATE.rawValue: return .hostKey
        case GIT_EUSER.rawValue: return .cancelled
        default: break
        }
        let lowered = message.lowercased()
        if lowered.contains("status code: 401") || lowered.contains("status code: 403")
            || lowered.contains("authentication") {
            return .authentication
        }
        switch UInt32(bitPattern: errorClass) {
        case GIT_ERROR_NET.rawValue, GIT_ERROR_SSH.rawValue, GIT_ERROR_HTTP.rawValue,
             GIT_ERROR_SSL.rawValue:
            return .unreachable
        case GIT_ERROR_ODB.rawValue, GIT_ERROR_ZLIB.rawValue, GIT_ERROR_INDEXER.rawValue,
             GIT_ERROR_REPOSITORY.rawValue, GIT_ERROR_OBJECT.rawValue:
            return .corruptCache
        case GIT_ERROR_OS.rawValue, GIT_ERROR_FILESYSTEM.rawValue:
            return .diskWrite
        default:
            return .library
        }
    }
}
