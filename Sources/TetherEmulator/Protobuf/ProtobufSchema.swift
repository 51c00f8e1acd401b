/// The Kubernetes protobuf messages the emulator can translate to and from
/// JSON, parsed once from the generated table (scripts/gen-proto-table.py).
struct ProtobufSchema: Sendable {
    /// A scalar protobuf type as the Kubernetes .proto files use them.
    enum Scalar: String, Sendable {
        case string, bytes, bool, int32, int64
    }

    /// How a message maps to JSON when it is not an ordinary object.
    enum Special: String, Sendable {
        case none = "-", quantity, intstr, time, microtime, duration, raw, list
    }

    enum Cardinality: Sendable, Equatable {
        case optional, repeated, map(key: Scalar)
    }

    enum FieldType: Sendable, Equatable {
        case scalar(Scalar)
        case message(Int)
    }

    struct Field: Sendable {
        var number: Int
        var jsonName: String
        var cardinality: Cardinality
        var type: FieldType
        /// Go inlines the field's message into the parent's JSON object (`json:",inline"`).
        var inline: Bool
        /// A zero value stays in JSON (required fields, pointers whose zero is not their default).
        var keepsZero: Bool
    }

    struct Message: Sendable {
        var name: String
        var special: Special
        /// Fields in field-number order, the order gogo protobuf writes them.
        var fields: [Field]
        var byNumber: [Int: Int]
        var byJSONName: [String: Int]
    }

    private(set) var messages: [Message] = []
    private var index: [String: Int] = [:]
    private var kinds: [String: Int] = [:]

    /// The table of Kubernetes v1.32.
    static let kubernetes: ProtobufSchema = {
        do {
            return try ProtobufSchema(table: kubernetesTable)
        } catch {
            // The table is generated and committed: a bad line is a programmer error.
            preconditionFailure("CKubernetesTables/protobuf-table.txt: \(error)")
        }
    }()

    struct TableError: Error, CustomStringConvertible {
        var description: String
    }

    init(table: String) throws {
        var pending: [(message: Int, line: Int, parts: [Substring])] = []
        var current = -1
        for (number, line) in table.split(separator: "\n").enumerated() {
            let parts = line.split(separator: "|", omittingEmptySubsequences: false)
            switch parts.first {
            case "M" where parts.count == 3:
                guard let special = Special(rawValue: String(parts[2])) else {
                    throw TableError(description: "line \(number + 1): unknown special '\(parts[2])'")
                }
                current = messages.count
                index[String(parts[1])] = current
                messages.append(Message(name: String(parts[1]), special: special, fields: [], byNumber: [:], byJSONName: [:]))
            case "F" where parts.count == 6 && current >= 0:
                pending.append((current, number + 1, parts))
            case "K" where parts.count == 5:
                guard let target = index[String(parts[4])] else {
                    throw TableError(description: "line \(number + 1): unknown message '\(parts[4])'")
                }
                kinds[Self.kindKey(apiVersion: Self.apiVersion(group: parts[1] == "-" ? "" : String(parts[1]),
                                                               version: String(parts[2])),
                                   kind: String(parts[3]))] = target
            default:
                throw TableError(description: "line \(number + 1): malformed '\(line)'")
            }
        }
        for (message, line, parts) in pending {
            let field = try Self.field(parts, line: line, index: index)
            messages[message].byNumber[field.number] = messages[message].fields.count
            messages[message].byJSONName[field.jsonName] = messages[message].fields.count
            messages[message].fields.append(field)
        }
    }

    private static func field(_ parts: [Substring], line: Int, index: [String: Int]) throws -> Field {
        guard let number = Int(parts[1]) else { throw TableError(description: "line \(line): bad field number") }
        let cardinality: Cardinality
        switch parts[3] {
        case "o": cardinality = .optional
        case "r": cardinality = .repeated
        default:
            guard parts[3].hasPrefix("m"), let key = Scalar(rawValue: String(parts[3].dropFirst())) else {
                throw TableError(description: "line \(line): bad cardinality '\(parts[3])'")
            }
            cardinality = .map(key: key)
        }
        let type: FieldType
        if parts[4].hasPrefix("@") {
            guard let target = index[String(parts[4].dropFirst())] else {
                throw TableError(description: "line \(line): unknown message '\(parts[4])'")
            }
            type = .message(target)
        } else {
            guard let scalar = Scalar(rawValue: String(parts[4])) else {
                throw TableError(description: "line \(line): unknown type '\(parts[4])'")
            }
            type = .scalar(scalar)
        }
        return Field(number: number, jsonName: String(parts[2]), cardinality: cardinality, type: type,
                     inline: parts[5].contains("i"), keepsZero: parts[5].contains("z"))
    }

    /// The message for a top-level object of `apiVersion` and `kind`, if Kubernetes defines one.
    /// Options and Status kinds are registered in every group version, so
    /// they are found under meta.k8s.io/v1 whatever `apiVersion` says.
    func message(apiVersion: String, kind: String) -> Int? {
        kinds[Self.kindKey(apiVersion: apiVersion, kind: kind)] ?? kinds[Self.kindKey(apiVersion: "meta.k8s.io/v1", kind: kind)]
    }

    /// The message with this full protobuf name (`k8s.io.api.core.v1.Pod`).
    func message(named name: String) -> Int? { index[name] }

    private static func kindKey(apiVersion: String, kind: String) -> String { apiVersion + "/" + kind }

    private static func apiVersion(group: String, version: String) -> String {
        group.isEmpty ? version : group + "/" + version
    }
}
