import Foundation
import TetherModel

/// One column of a server-side Table (meta.k8s.io/v1 TableColumnDefinition)
/// and how its cell is computed from an object.
struct TableColumn: Sendable {
    var name: String
    var type: String
    var format: String = ""
    var description: String
    /// 0 for the default view, 1 for columns only `-o wide` shows.
    var priority: Int = 0
    var cell: @Sendable (Value, Date) -> Value

    var definition: Value {
        ["name": .string(name), "type": .string(type), "format": .string(format),
         "description": .string(description), "priority": .int(priority)]
    }

    static let name = TableColumn(
        name: "Name", type: "string", format: "name",
        description: "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
    ) { object, _ in object[path: ["metadata", "name"]] ?? "" }

    static let age = TableColumn(
        name: "Age", type: "string",
        description: "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"
    ) { object, now in .string(age(object[path: ["metadata", "creationTimestamp"]], now: now)) }

    /// The default convertor's "Created At" column (kinds without a printer).
    static let createdAt = TableColumn(name: "Created At", type: "date", description: "The time the object was created.") {
        object, _ in object[path: ["metadata", "creationTimestamp"]] ?? ""
    }

    static func string(_ name: String, _ description: String, priority: Int = 0, _ path: [String]) -> TableColumn {
        TableColumn(name: name, type: "string", description: description, priority: priority) { object, _ in
            .string(object[path: path]?.scalarText ?? "<none>")
        }
    }

    static func integer(_ name: String, _ description: String, priority: Int = 0,
                        _ value: @escaping @Sendable (Value) -> Int) -> TableColumn {
        TableColumn(name: name, type: "integer", description: description, priority: priority) { object, _ in
            .int(value(object))
        }
    }

    static func text(_ name: String, _ description: String, priority: Int = 0,
                     _ value: @escaping @Sendable (Value) -> String) -> TableColumn {
        TableColumn(name: name, type: "string", description: description, priority: priority) { object, _ in
            .string(value(object))
        }
    }

    /// The time since `timestamp`, as the API server's printers write it
    /// (k8s.io/apimachinery/pkg/util/duration.HumanDuration).
    static func age(_ timestamp: Value?, now: Date) -> String {
        guard let text = timestamp?.stringValue, let time = KubernetesTime.parse(text) else { return "<unknown>" }
        return humanDuration(Int(now.timeIntervalSince1970) - Int(time.seconds))
    }

    static func humanDuration(_ seconds: Int) -> String {
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 120 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 { return seconds % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(seconds % 60)s" }
        if minutes < 180 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 { return hours % 24 == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(hours % 24)h" }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let days = hours / 24 % 365
            return days == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(days)d"
        }
        return "\(hours / 24 / 365)y"
    }
}
