import Foundation
import TetherModel
import TetherPatch

/// One entry of `metadata.managedFields`: the fields one manager owns
/// through one kind of operation.
struct ManagedFieldsEntry: Hashable, Sendable {
    enum Operation: String, Sendable { case apply = "Apply", update = "Update" }

    var manager: String
    var operation: Operation
    var apiVersion: String
    var time: String
    var subresource: String
    var fields: FieldSet

    /// Entries are keyed like the API server's manager identifiers: an
    /// applier has one entry per name; an updater one per name and subresource.
    var identity: String { "\(manager)\u{0}\(operation.rawValue)\u{0}\(subresource)" }

    /// How the API server names the manager in a conflict message.
    var conflictName: String {
        var text = "\"\(manager)\""
        if !subresource.isEmpty { text += " with subresource \"\(subresource)\"" }
        if operation == .update { text += " using \(apiVersion)" }
        return text
    }

    var value: Value {
        var map = OrderedMap()
        map["manager"] = .string(manager)
        map["operation"] = .string(operation.rawValue)
        map["apiVersion"] = .string(apiVersion)
        map["time"] = .string(time)
        map["fieldsType"] = "FieldsV1"
        map["fieldsV1"] = fields.fieldsV1
        if !subresource.isEmpty { map["subresource"] = .string(subresource) }
        return .map(map)
    }

    init(manager: String, operation: Operation, apiVersion: String, time: String, subresource: String, fields: FieldSet) {
        self.manager = manager
        self.operation = operation
        self.apiVersion = apiVersion
        self.time = time
        self.subresource = subresource
        self.fields = fields
    }

    init?(_ value: Value) {
        guard let manager = value["manager"]?.stringValue,
              let operation = value["operation"]?.stringValue.flatMap(Operation.init(rawValue:))
        else { return nil }
        self.init(manager: manager, operation: operation, apiVersion: value["apiVersion"]?.stringValue ?? "",
                  time: value["time"]?.stringValue ?? "", subresource: value["subresource"]?.stringValue ?? "",
                  fields: FieldSet(fieldsV1: value["fieldsV1"] ?? .null))
    }
}

/// Field ownership for one write: computes the new object and its
/// `managedFields` for server-side apply and for ordinary updates, the way
/// kube-apiserver's field manager does.
struct FieldManager {
    let type: ResourceType
    /// The manager named by the request (`fieldManager`, or the User-Agent's first word).
    var manager: String
    /// `status` when the request went to the status subresource.
    var subresource: String
    var now: String
    /// The root schema: the built-in table's, or the one built from a custom
    /// resource's CRD schema (`nil` for a CRD version without one). Looked up once: an apply
    /// walks it three or four times, and each lookup hashes the group, version and kind.
    let node: PatchSchema.Node?

    init(type: ResourceType, manager: String, subresource: String, now: String) {
        self.type = type
        self.manager = manager
        self.subresource = subresource
        self.now = now
        node = type.builtIn ? PatchSchema.root(group: type.group, version: type.version, kind: type.kind) : type.applyNode
    }

    /// The part of an object whose fields are owned: without identity and
    /// server-set metadata, and only the status (or everything but it) when
    /// the resource has a status subresource.
    func owned(_ object: Value) -> Value {
        guard case .map(var map) = object else { return object }
        map["apiVersion"] = nil
        map["kind"] = nil
        if type.subresources.contains(.status) {
            if subresource == "status" {
                map = OrderedMap(map.entries.filter { $0.key == "status" }.map { ($0.key, $0.value) })
            } else {
                map["status"] = nil
            }
        }
        if case .map(var metadata)? = map["metadata"] {
            for field in Self.serverMetadata { metadata[field] = nil }
            map["metadata"] = metadata.isEmpty ? nil : .map(metadata)
        }
        return .map(map)
    }

    static let serverMetadata = [
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "selfLink",
        "managedFields", "deletionTimestamp", "deletionGracePeriodSeconds",
    ]

    /// The stored entries of an object.
    static func entries(of object: Value?) -> [ManagedFieldsEntry] {
        (object?[path: ["metadata", "managedFields"]]?.listValue ?? []).compactMap(ManagedFieldsEntry.init)
    }

    /// The entries to start an update from: the ones the client sent when
    /// it sent any (`[{}]` clears them), otherwise the stored ones.
    func priorEntries(current: Value?, body: Value) -> [ManagedFieldsEntry] {
        if let sent = body[path: ["metadata", "managedFields"]]?.listValue {
            if sent == [.map(OrderedMap())] { return [] }
            if !sent.isEmpty { return sent.compactMap(ManagedFieldsEntry.init) }
        }
        return Self.entries(of: current)
    }

    /// The entries after a create, update or patch by `manager`: it takes
    /// over every field it changed, and removed fields leave every manager.
    func update(old: Value?, new: Value, prior: [ManagedFieldsEntry]) -> [ManagedFieldsEntry] {
        let comparison = ObjectFields.compare(old.map(owned) ?? [:], owned(new), node: node)
        var entries = prior.map { entry -> ManagedFieldsEntry in
            var entry = entry
            entry.fields = entry.fields.subtracting(comparison.changed).subtracting(comparison.removed)
            return entry
        }
        let mine = ManagedFieldsEntry(manager: manager, operation: .update, apiVersion: type.apiVersion, time: now,
                                      subresource: subresource, fields: FieldSet())
        let index = entries.firstIndex { $0.identity == mine.identity }
        var own = index.map { prior[$0].fields } ?? FieldSet()
        own = own.subtracting(comparison.removed).union(comparison.changed)
        if let index {
            if own != prior[index].fields { entries[index].time = now }
            entries[index].fields = own
        } else {
            var entry = mine
            entry.fields = own
            entries.append(entry)
        }
        return Self.normalised(entries)
    }

    /// One field owned by another manager that an apply would change.
    struct Conflict {
        var manager: String
        var path: [String]
    }

    /// Server-side apply of `config` onto `live` (nil to create).
    ///
    /// - Returns: the new object (with its managedFields set).
    /// - Throws: `EmulatorError` `.conflict` listing every conflicting field
    ///   when another manager owns a field the config changes and `force` is off.
    func apply(_ config: Value, to live: Value?, force: Bool) throws(EmulatorError) -> Value {
        var prior = Self.entries(of: live)
        if let live, prior.isEmpty {
            // An object nobody manages yet: everything in it belongs to a
            // pseudo-manager, so the first apply cannot silently take it over.
            prior = [ManagedFieldsEntry(manager: "before-first-apply", operation: .update, apiVersion: type.apiVersion,
                                        time: now, subresource: "", fields: ObjectFields.fieldSet(of: owned(live), node: node))]
        }
        let configSet = ObjectFields.fieldSet(of: owned(config), node: node)
        let me = ManagedFieldsEntry(manager: manager, operation: .apply, apiVersion: type.apiVersion, time: now,
                                    subresource: subresource, fields: configSet)
        let previous = prior.first { $0.identity == me.identity }
        var others = prior.filter { $0.identity != me.identity }

        var object = ObjectFields.merge(live ?? [:], config, node: node)
        if let lastSet = previous?.fields {
            let everyone = others.reduce(configSet) { $0.union($1.fields) }
            object = ObjectFields.removing(lastSet.subtracting(everyone), keep: everyone, from: object, node: node)
        }
        let comparison = ObjectFields.compare(live.map(owned) ?? [:], owned(object), node: node)
        var conflicts: [Conflict] = []
        for (index, other) in others.enumerated() {
            let clash = other.fields.intersection(comparison.changed)
            guard !clash.isEmpty else { continue }
            conflicts += clash.paths.map { Conflict(manager: other.conflictName, path: $0) }
            others[index].fields = other.fields.subtracting(clash)
        }
        if !conflicts.isEmpty, !force { throw Self.conflictError(conflicts) }
        for index in others.indices { others[index].fields = others[index].fields.subtracting(comparison.removed) }
        var entry = me
        if let previous, previous.fields == configSet, previous.apiVersion == me.apiVersion { entry.time = previous.time }
        var entries = others
        entries.append(entry)
        object[at: ["metadata", "managedFields"]] = .list(Self.normalised(entries).map(\.value))
        return object
    }

    /// Drops empty entries and sorts the rest as the API server does:
    /// by operation, then time, then manager.
    static func normalised(_ entries: [ManagedFieldsEntry]) -> [ManagedFieldsEntry] {
        entries.filter { !$0.fields.isEmpty }.enumerated().sorted { a, b in
            if a.element.operation != b.element.operation { return a.element.operation.rawValue < b.element.operation.rawValue }
            if a.element.time != b.element.time { return a.element.time < b.element.time }
            if a.element.manager != b.element.manager { return a.element.manager < b.element.manager }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// The 409 the API server sends for apply conflicts, with one cause per field.
    static func conflictError(_ conflicts: [Conflict]) -> EmulatorError {
        let sorted = conflicts.sorted { ($0.manager, FieldSet.display($0.path)) < ($1.manager, FieldSet.display($1.path)) }
        let message: String
        if sorted.count == 1, let only = sorted.first {
            message = "Apply failed with 1 conflict: conflict with \(only.manager): \(FieldSet.display(only.path))"
        } else {
            var lines: [String] = []
            var lastManager = ""
            for conflict in sorted {
                if conflict.manager != lastManager { lines.append("conflicts with \(conflict.manager)") }
                lastManager = conflict.manager
                lines.append("- \(FieldSet.display(conflict.path))")
            }
            message = "Apply failed with \(sorted.count) conflicts: " + lines.joined(separator: "\n")
        }
        var error = EmulatorError(.conflict, message)
        error.causes = sorted.map { conflict in
            EmulatorError.Cause(reason: "FieldManagerConflict", message: "conflict with \(conflict.manager)",
                                field: FieldSet.display(conflict.path))
        }
        return error
    }

    /// The manager a non-apply request is recorded under: `fieldManager`,
    /// else the User-Agent up to its first `/`, as the API server does.
    static func managerName(fieldManager: String?, userAgent: String) -> String {
        if let fieldManager, !fieldManager.isEmpty { return fieldManager }
        let name = userAgent.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        return name.isEmpty ? "unknown" : String(name.prefix(128))
    }

    /// `date` as the API server writes times (RFC 3339 in UTC, whole seconds),
    /// the same text as `Date.ISO8601Format()`: that formatter builds a
    /// Gregorian calendar per call, about 1% of the emulator's CPU per apply.
    static func timestamp(_ date: Date = Date()) -> String {
        let interval = date.timeIntervalSince1970.rounded(.down)
        guard interval.isFinite, abs(interval) < 1e12 else { return date.ISO8601Format() }
        let seconds = Int64(interval)
        var days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Civil date from days since 1970-01-01 (Howard Hinnant's `civil_from_days`).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        guard (0...9999).contains(year) else { return date.ISO8601Format() }
        var text: [UInt8] = []
        text.reserveCapacity(20)
        func append(_ value: Int64, digits: Int) {
            var divisor: Int64 = 1
            for _ in 1..<digits { divisor *= 10 }
            while divisor > 0 {
                text.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        append(year, digits: 4); text.append(UInt8(ascii: "-"))
        append(month, digits: 2); text.append(UInt8(ascii: "-"))
        append(day, digits: 2); text.append(UInt8(ascii: "T"))
        append(secondOfDay / 3600, digits: 2); text.append(UInt8(ascii: ":"))
        append(secondOfDay / 60 % 60, digits: 2); text.append(UInt8(ascii: ":"))
        append(secondOfDay % 60, digits: 2); text.append(UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }
}
