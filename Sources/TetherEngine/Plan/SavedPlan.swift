#if canImport(Glibc)
import Glibc
#endif
package import Foundation
package import TetherModel

/// A plan written by `tether diff --save-plan` and applied by `tether sync --plan`.
///
/// It records the revision, the ApplySet, and per object the action, the live object's
/// `uid` and `resourceVersion` when the plan was made, and the rendered object — except
/// for Secrets: their values are never written. A Secret entry holds a salted SHA-256
/// digest of the rendered Secret's canonical JSON instead, so `sync --plan` re-renders
/// the same revision and applies the Secret only if its digest still matches (`verify`).
/// The format is described in docs/engine.md, "Saved plans".
package struct SavedPlan: Sendable, Hashable {
    /// The value of `kind` in every plan file.
    package static let kind = "TetherPlan"
    /// The format this code writes and the newest it reads.
    package static let currentFormatVersion = 1

    /// One object of the plan.
    package struct Entry: Sendable, Hashable {
        package var id: ResourceID
        package var apiVersion: String
        package var action: PlannedAction
        /// Why the object is skipped, for skips.
        package var reason: String?
        package var liveUID: String?
        package var liveResourceVersion: String?
        /// The rendered object, labelled for the ApplySet. Nil for prunes and Secrets.
        package var desired: Resource?
        /// For Secrets: `sha256:` and the hex digest of the salt followed by the rendered
        /// Secret's canonical JSON (keys sorted, no spaces).
        package var secretDigest: String?

        package init(id: ResourceID, apiVersion: String, action: PlannedAction, reason: String? = nil,
                     liveUID: String? = nil, liveResourceVersion: String? = nil, desired: Resource? = nil,
                     secretDigest: String? = nil) {
            self.id = id
            self.apiVersion = apiVersion
            self.action = action
            self.reason = reason
            self.liveUID = liveUID
            self.liveResourceVersion = liveResourceVersion
            self.desired = desired
            self.secretDigest = secretDigest
        }

        /// Whether the plan expects this object among the rendered ones.
        package var isRendered: Bool { desired != nil || secretDigest != nil }
    }

    package var formatVersion: Int
    /// The version of Tether that wrote the plan.
    package var tetherVersion: String
    package var createdAt: Date
    /// The Git revision the objects were rendered from, when known.
    package var revision: String?
    /// The ApplySet parent object and its `applyset.kubernetes.io/id`.
    package var applySetParent: ResourceID
    package var applySetID: String
    /// Random bytes mixed into every Secret digest of this plan, so equal Secrets in two
    /// plans have different digests and no precomputed table applies.
    package var secretDigestSalt: [UInt8]
    package var entries: [Entry]

    /// Records a plan.
    /// - Parameters:
    ///   - plan: the plan `tether diff` computed.
    ///   - tetherVersion: the running version, written for diagnosis.
    ///   - createdAt: when the plan was made.
    ///   - salt: the Secret digest salt; random unless a test fixes it.
    package init(plan: Plan, tetherVersion: String, createdAt: Date, salt: [UInt8]? = nil) {
        formatVersion = Self.currentFormatVersion
        self.tetherVersion = tetherVersion
        self.createdAt = createdAt
        revision = plan.revision
        applySetParent = plan.applySet.id
        applySetID = plan.applySet.applySetID
        secretDigestSalt = salt ?? Self.randomSalt()
        entries = []
        entries.reserveCapacity(plan.entries.count)
        for planned in plan.entries {
            var entry = Entry(id: planned.id, apiVersion: planned.apiVersion, action: planned.action,
                              reason: planned.reason, liveUID: planned.liveUID,
                              liveResourceVersion: planned.liveResourceVersion)
            if let desired = planned.desired {
                if SecretMask.applies(to: planned.id) || SecretMask.isSecret(desired.value) {
                    entry.secretDigest = Self.digest(of: desired, salt: secretDigestSalt)
                } else {
                    entry.desired = desired
                }
            }
            entries.append(entry)
        }
    }

    /// The plan file's bytes for a plan (see `init(plan:tetherVersion:createdAt:salt:)`).
    package static func encode(_ plan: Plan, tetherVersion: String, createdAt: Date = Date()) -> [UInt8] {
        SavedPlan(plan: plan, tetherVersion: tetherVersion, createdAt: createdAt).encoded()
    }

    static func randomSalt() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// `sha256:HEX` of `salt` followed by the object's canonical JSON.
    package static func digest(of object: Resource, salt: [UInt8]) -> String {
        // A rendered object holds no NaN or infinity (YAML and JSON input cannot), so the
        // canonical encoding cannot fail; an empty body would only make verify report a change.
        let json = (try? JSONEncoding(pretty: false, sortedKeys: true).bytes(object.value)) ?? []
        return "sha256:" + Hex.encode(SHA256Digest.of(salt + json))
    }
}

// MARK: - Codec

extension SavedPlan {
    /// The plan file: pretty JSON, ending with a newline.
    package func encoded() -> [UInt8] {
        var document = OrderedMap()
        document["kind"] = .string(Self.kind)
        document["formatVersion"] = .int(formatVersion)
        document["tetherVersion"] = .string(tetherVersion)
        document["createdAt"] = .string(createdAt.ISO8601Format())
        document["revision"] = revision.map(Value.string) ?? .null
        document["applySet"] = ["parent": Self.idValue(applySetParent), "id": .string(applySetID)]
        document["secretDigestSalt"] = .string(Hex.encode(secretDigestSalt))
        document["entries"] = .list(entries.map(Self.entryValue))
        // Only strings, integers and objects read from YAML or JSON: always encodable.
        let bytes = (try? JSONEncoding(pretty: true).bytes(.map(document))) ?? []
        return bytes + [0x0A]
    }

    static func idValue(_ id: ResourceID) -> Value {
        ["group": .string(id.group), "kind": .string(id.kind), "namespace": .string(id.namespace), "name": .string(id.name)]
    }

    static func entryValue(_ entry: Entry) -> Value {
        guard case .map(var value) = idValue(entry.id) else { return .null }
        value["apiVersion"] = .string(entry.apiVersion)
        value["action"] = .string(entry.action.rawValue)
        if let reason = entry.reason { value["reason"] = .string(reason) }
        if let uid = entry.liveUID { value["liveUID"] = .string(uid) }
        if let resourceVersion = entry.liveResourceVersion { value["liveResourceVersion"] = .string(resourceVersion) }
        if let digest = entry.secretDigest { value["secretDigest"] = .string(digest) }
        if let desired = entry.desired { value["desired"] = desired.value }
        return .map(value)
    }

    /// Reads a plan file.
    /// - Parameters:
    ///   - bytes: the file's contents.
    ///   - source: the file's name, for messages.
    /// - Throws: `EngineError` (`.invalidPlan`) naming the file, the field and how to fix it
    ///   when the bytes are not a plan this version can apply.
    package static func decode(_ bytes: [UInt8], source: String = "plan") throws(EngineError) -> SavedPlan {
        let document: Value
        do {
            document = try JSONParsing().value(from: bytes)
        } catch {
            throw invalid(source, "the file is not valid JSON", cause: error)
        }
        var reader = PlanReader(source: source)
        return try reader.plan(from: document)
    }

    static func invalid(_ source: String, _ message: String, cause: (any Error)? = nil) -> EngineError {
        EngineError(.invalidPlan, "\(source): \(message)",
                    hint: "Pass a file written by `tether diff --save-plan`, or make a new plan.", cause: cause)
    }
}

/// Reads the fields of a plan document, naming the field in every error.
private struct PlanReader {
    let source: String

    mutating func plan(from document: Value) throws(EngineError) -> SavedPlan {
        guard case .map(let root) = document else { throw fail("", "is \(document.typeDescription), not a plan object") }
        guard root["kind"]?.stringValue == SavedPlan.kind else {
            throw fail("kind", "is not \"\(SavedPlan.kind)\"; this is not a Tether plan")
        }
        guard let version = root["formatVersion"]?.intValue else { throw fail("formatVersion", "is missing or not an integer") }
        guard version >= 1, version <= SavedPlan.currentFormatVersion else {
            throw SavedPlan.invalid(source, "formatVersion \(version) is not supported; this Tether reads versions 1 to \(SavedPlan.currentFormatVersion)")
        }
        let createdText = try string(root, "createdAt", at: "createdAt")
        guard let createdAt = try? Date(createdText, strategy: .iso8601) else {
            throw fail("createdAt", "'\(createdText)' is not an RFC 3339 time")
        }
        guard case .map(let applySet)? = root["applySet"] else { throw fail("applySet", "is missing or not an object") }
        guard case .map(let parent)? = applySet["parent"] else { throw fail("applySet.parent", "is missing or not an object") }
        let parentID = try id(parent, at: "applySet.parent")
        let applySetID = try string(applySet, "id", at: "applySet.id")
        guard applySetID == ApplySetID.id(forParent: parentID) else {
            throw fail("applySet.id", "'\(applySetID)' is not the id of \(parentID); the file was edited")
        }
        let saltText = try string(root, "secretDigestSalt", at: "secretDigestSalt")
        guard let salt = Hex.decode(saltText), !salt.isEmpty else { throw fail("secretDigestSalt", "is not lower-case hex") }
        guard case .list(let items)? = root["entries"] else { throw fail("entries", "is missing or not a list") }
        var entries: [SavedPlan.Entry] = []
        entries.reserveCapacity(items.count)
        for (index, item) in items.enumerated() { entries.append(try entry(item, at: "entries[\(index)]")) }
        let revision: String?
        switch root["revision"] {
        case nil, .null?: revision = nil
        case .string(let text)?: revision = text
        case let other?: throw fail("revision", "is \(other.typeDescription), not a string")
        }
        return SavedPlan(formatVersion: version, tetherVersion: try string(root, "tetherVersion", at: "tetherVersion"),
                         createdAt: createdAt, revision: revision, applySetParent: parentID, applySetID: applySetID,
                         secretDigestSalt: salt, entries: entries)
    }

    func entry(_ value: Value, at path: String) throws(EngineError) -> SavedPlan.Entry {
        guard case .map(let map) = value else { throw fail(path, "is \(value.typeDescription), not an object") }
        let id = try id(map, at: path)
        let actionText = try string(map, "action", at: path + ".action")
        guard let action = PlannedAction(rawValue: actionText) else {
            throw fail(path + ".action", "'\(actionText)' is not one of create, update, unchanged, prune, skip")
        }
        var entry = SavedPlan.Entry(id: id, apiVersion: try string(map, "apiVersion", at: path + ".apiVersion"), action: action)
        entry.reason = try optionalString(map, "reason", at: path)
        entry.liveUID = try optionalString(map, "liveUID", at: path)
        entry.liveResourceVersion = try optionalString(map, "liveResourceVersion", at: path)
        entry.secretDigest = try optionalString(map, "secretDigest", at: path)
        if let digest = entry.secretDigest, !(digest.hasPrefix("sha256:") && digest.utf8.count == 71) {
            throw fail(path + ".secretDigest", "is not sha256: and 64 hex digits")
        }
        if let desired = map["desired"], !desired.isNull {
            let object: Resource
            do {
                object = try Resource(desired)
            } catch {
                throw SavedPlan.invalid(source, "\(path).desired is not a Kubernetes object", cause: error)
            }
            guard object.id == id else {
                throw fail(path + ".desired", "is \(object.id), but the entry is for \(id)")
            }
            guard !SecretMask.applies(to: id), !SecretMask.isSecret(object.value) else {
                throw fail(path + ".desired", "holds a Secret; plans never hold Secret values, only their digest")
            }
            entry.desired = object
        }
        if (action == .create || action == .update || action == .unchanged) && !entry.isRendered {
            throw fail(path, "is a\(action == .update || action == .unchanged ? "n" : "") \(action.rawValue) without a desired object or secretDigest")
        }
        return entry
    }

    func id(_ map: OrderedMap, at path: String) throws(EngineError) -> ResourceID {
        let kind = try string(map, "kind", at: path + ".kind")
        let name = try string(map, "name", at: path + ".name")
        guard !kind.isEmpty, !name.isEmpty else { throw fail(path, "has an empty kind or name") }
        return ResourceID(group: try optionalString(map, "group", at: path) ?? "", kind: kind,
                          namespace: try optionalString(map, "namespace", at: path) ?? "", name: name)
    }

    func string(_ map: OrderedMap, _ key: String, at path: String) throws(EngineError) -> String {
        guard let value = map[key] else { throw fail(path, "is missing") }
        guard case .string(let text) = value else { throw fail(path, "is \(value.typeDescription), not a string") }
        return text
    }

    func optionalString(_ map: OrderedMap, _ key: String, at path: String) throws(EngineError) -> String? {
        switch map[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case let other?: throw fail(path + "." + key, "is \(other.typeDescription), not a string")
        }
    }

    func fail(_ path: String, _ message: String) -> EngineError {
        SavedPlan.invalid(source, path.isEmpty ? "the document \(message)" : "\(path) \(message)")
    }
}

extension SavedPlan {
    /// Builds a plan from decoded fields.
    fileprivate init(formatVersion: Int, tetherVersion: String, createdAt: Date, revision: String?,
                     applySetParent: ResourceID, applySetID: String, secretDigestSalt: [UInt8], entries: [Entry]) {
        self.formatVersion = formatVersion
        self.tetherVersion = tetherVersion
        self.createdAt = createdAt
        self.revision = revision
        self.applySetParent = applySetParent
        self.applySetID = applySetID
        self.secretDigestSalt = secretDigestSalt
        self.entries = entries
    }
}

// MARK: - Verification

extension SavedPlan {
    /// An object whose rendered content is not what the plan recorded.
    package struct Mismatch: Sendable, Hashable, CustomStringConvertible {
        package enum Reason: Sendable, Hashable {
            /// Rendered now with different content (for Secrets: a different digest).
            case changed
            /// In the plan to be applied, but not rendered now.
            case notRendered
            /// Rendered now, but the plan does not apply it (absent, or planned for pruning).
            case notPlanned
        }

        package var id: ResourceID
        package var reason: Reason

        package init(id: ResourceID, reason: Reason) {
            self.id = id
            self.reason = reason
        }

        package var description: String {
            switch reason {
            case .changed: return "\(id) renders differently than when the plan was made"
            case .notRendered: return "\(id) is in the plan but no longer rendered"
            case .notPlanned: return "\(id) is rendered but not applied by the plan"
            }
        }
    }

    /// Compares a fresh render of the plan's revision with the objects the plan recorded.
    ///
    /// Pass the objects exactly as the planner labels them for applying (with the
    /// ApplySet part-of label), because that is what the plan recorded. Secrets are
    /// compared by their salted digest, everything else by equality of content (map key
    /// order does not matter).
    /// - Parameter rendered: the rendered objects.
    /// - Returns: the objects that differ, in plan order, then rendered objects the plan
    ///   does not have; empty when the plan can be applied as it is.
    package func verify(rendered: [Resource]) -> [Mismatch] {
        var byID: [ResourceID: Resource] = [:]
        var order: [ResourceID] = []
        for object in rendered where byID.updateValue(object, forKey: object.id) == nil { order.append(object.id) }
        var mismatches: [Mismatch] = []
        var expected = Set<ResourceID>()
        for entry in entries where entry.isRendered {
            expected.insert(entry.id)
            guard let object = byID[entry.id] else {
                mismatches.append(Mismatch(id: entry.id, reason: .notRendered))
                continue
            }
            let same: Bool
            if let digest = entry.secretDigest {
                same = Self.digest(of: object, salt: secretDigestSalt) == digest
            } else {
                same = entry.desired == object
            }
            if !same { mismatches.append(Mismatch(id: entry.id, reason: .changed)) }
        }
        for id in order where !expected.contains(id) { mismatches.append(Mismatch(id: id, reason: .notPlanned)) }
        return mismatches
    }
}

// MARK: - Files

extension SavedPlan {
    /// Writes the plan to `path` readable by the owner only (mode 0600), atomically:
    /// a temporary file in the same directory is renamed over `path`, so a reader never
    /// sees half a plan and an existing file's wider mode is not kept.
    /// - Throws: `EngineError` (`.invalidConfig`) naming the path and the system error.
    package func write(to path: String) throws(EngineError) {
        let bytes = encoded()
        var template = Array((path + ".tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw Self.fileError("cannot create a file next to", path) }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var ok = fchmod(fd, 0o600) == 0
        var written = 0
        while ok, written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { ok = false } else { written += n }
        }
        ok = ok && fsync(fd) == 0
        let saved = errno
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            errno = ok ? errno : saved
            let error = Self.fileError("cannot write", path)
            unlink(temporary)
            throw error
        }
    }

    /// Reads and decodes a plan file.
    /// - Throws: `EngineError` (`.invalidPlan`) when the file cannot be read or is not a plan.
    package static func read(from path: String) throws(EngineError) -> SavedPlan {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw EngineError(.invalidPlan, "\(path): the plan file cannot be read",
                              hint: "Check the path given to --plan.", cause: error)
        }
        return try decode(Array(data), source: path)
    }

    private static func fileError(_ what: String, _ path: String) -> EngineError {
        EngineError(.invalidConfig, "\(what) the plan file \(path): \(String(cString: strerror(errno)))",
                    hint: "Choose a path in a writable directory for --save-plan.")
    }
}
