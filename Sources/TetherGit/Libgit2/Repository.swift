internal import CGit2
import Foundation
import TetherModel

/// An open libgit2 repository. Owns the pointer; not `Sendable`, used by one thread at a time.
final class Repository {
    let pointer: OpaquePointer

    private init(_ pointer: OpaquePointer) { self.pointer = pointer }
    deinit { git_repository_free(pointer) }

    /// Opens the bare cache repository at `path`, creating it when missing.
    /// - Throws: `Libgit2Failure` when the directory exists but is not a usable repository.
    static func openOrCreateBare(at path: String) throws(Libgit2Failure) -> Repository {
        var pointer: OpaquePointer?
        if FileManager.default.fileExists(atPath: path) {
            try check(git_repository_open_bare(&pointer, path))
        } else {
            try check(git_repository_init(&pointer, path, 1))
        }
        guard let pointer else { throw Libgit2Failure(result: -1, errorClass: 0, message: "no repository returned") }
        return Repository(pointer)
    }

    /// Opens the work tree repository whose `.git` is directly inside `path`, if there is one.
    static func openWorkTree(at path: String) -> Repository? {
        var pointer: OpaquePointer?
        let flags = GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue
        guard git_repository_open_ext(&pointer, path, flags, nil) == 0, let pointer else { return nil }
        return Repository(pointer)
    }

    // MARK: References and objects

    /// The object a reference points at directly (a tag object for annotated tags), if it exists.
    func target(of referenceName: String) -> String? {
        var oid = git_oid()
        guard git_reference_name_to_id(&oid, pointer, referenceName) == 0 else { return nil }
        return oid.hex
    }

    /// The commit a reference or object finally points at (tags peeled).
    /// - Throws: `Libgit2Failure` when the object is missing or not a commit.
    func peeledCommit(of sha: String) throws(Libgit2Failure) -> String {
        var oid = try GitOID(sha)
        var object: OpaquePointer?
        try check(git_object_lookup(&object, pointer, &oid.raw, GIT_OBJECT_ANY))
        defer { git_object_free(object) }
        var peeled: OpaquePointer?
        try check(git_object_peel(&peeled, object, GIT_OBJECT_COMMIT))
        defer { git_object_free(peeled) }
        return git_object_id(peeled).pointee.hex
    }

    /// Whether a commit object is present.
    func hasCommit(_ sha: String) -> Bool {
        guard var oid = try? GitOID(sha) else { return false }
        var commit: OpaquePointer?
        guard git_commit_lookup(&commit, pointer, &oid.raw) == 0 else { return false }
        git_commit_free(commit)
        return true
    }

    /// Whether `sha` equals `ancestor` or descends from it.
    func isDescendant(_ sha: String, of ancestor: String) -> Bool {
        if sha == ancestor { return true }
        guard var commit = try? GitOID(sha), var base = try? GitOID(ancestor) else { return false }
        return git_graph_descendant_of(pointer, &commit.raw, &base.raw) == 1
    }

    /// Points `referenceName` at `sha`, replacing any old value.
    func setReference(_ referenceName: String, to sha: String) throws(Libgit2Failure) {
        var oid = try GitOID(sha)
        var reference: OpaquePointer?
        try check(git_reference_create(&reference, pointer, referenceName, &oid.raw, 1, "tether: pin"))
        git_reference_free(reference)
    }

    /// Author, date and subject of a commit.
    func revision(of sha: String) throws(Libgit2Failure) -> GitRevision {
        var oid = try GitOID(sha)
        var commit: OpaquePointer?
        try check(git_commit_lookup(&commit, pointer, &oid.raw))
        defer { git_commit_free(commit) }
        let author = git_commit_author(commit).pointee
        let name = author.name.map { String(cString: $0) } ?? ""
        let email = author.email.map { String(cString: $0) } ?? ""
        let subject = git_commit_summary(commit).map { String(cString: $0) } ?? ""
        return GitRevision(sha: sha, author: "\(name) <\(email)>",
                           date: Date(timeIntervalSince1970: TimeInterval(author.when.time)), subject: subject)
    }

    /// The SSH/GPG signature and the signed payload of a commit, or nil when it is unsigned.
    func signature(of sha: String) throws(Libgit2Failure) -> (signature: Data, payload: Data)? {
        var oid = try GitOID(sha)
        var signature = git_buf()
        var payload = git_buf()
        defer { git_buf_dispose(&signature); git_buf_dispose(&payload) }
        let result = git_commit_extract_signature(&signature, &payload, pointer, &oid.raw, nil)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result)
        return (Data(bytes: signature.ptr, count: signature.size), Data(bytes: payload.ptr, count: payload.size))
    }

    /// Runs `git_odb` consistency checks cheap enough for every sync: the pinned reference,
    /// its commit and the commit's root tree must all load.
    func verifyReadable(_ sha: String) throws(Libgit2Failure) {
        git_tree_free(try rootTree(ofCommit: sha))
    }

    /// The root tree of commit `sha`; the caller frees it with `git_tree_free`.
    func rootTree(ofCommit sha: String) throws(Libgit2Failure) -> OpaquePointer? {
        var oid = try GitOID(sha)
        var commit: OpaquePointer?
        try check(git_commit_lookup(&commit, pointer, &oid.raw))
        defer { git_commit_free(commit) }
        var tree: OpaquePointer?
        try check(git_commit_tree(&tree, commit))
        return tree
    }
}

/// A `git_oid` parsed from hex.
struct GitOID {
    var raw = git_oid()

    init(_ hex: String) throws(Libgit2Failure) {
        try check(git_oid_fromstr(&raw, hex))
    }
}

extension git_oid {
    /// The 40-character lower-case hex form.
    var hex: String {
        withUnsafeBytes(of: id) { Hex.encode($0) }
    }
}
