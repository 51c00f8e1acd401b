import TetherModel

/// Translates a JSON object into the Kubernetes protobuf message for it,
/// writing fields in field-number order as gogo protobuf does. JSON keys the
/// message has no field for are left out, as Go's JSON decoding drops them.
struct ProtobufEncoder {
    let schema: ProtobufSchema

    typealias Failure = ProtobufReader.Failure

    func message(_ index: Int, _ object: OrderedMap) throws(Failure) -> [UInt8] {
        var writer = ProtobufWriter()
        let message = schema.messages[index]
        for field in message.fields {
            if field.inline, case .message(let inner) = field.type {
                writer.bytesField(field.number, try self.message(inner, object))
                continue
            }
            guard let value = object[field.jsonName], value != .null else { continue }
            switch field.cardinality {
            case .optional:
                try write(value, field, in: message, to: &writer)
            case .repeated:
                guard case .list(let items) = value else { throw mismatch(field, in: message, value, "a list") }
                for item in items where item != .null { try write(item, field, in: message, to: &writer) }
            case .map(let keyType):
                guard case .map(let entries) = value else { throw mismatch(field, in: message, value, "a map") }
                // gogo protobuf writes map entries sorted by key.
                for entry in entries.entries.sorted(by: { $0.key < $1.key }) {
                    var pair = ProtobufWriter()
                    let keyField = ProtobufSchema.Field(number: 1, jsonName: field.jsonName, cardinality: .optional,
                                                        type: .scalar(keyType), inline: false, keepsZero: true)
                    try write(.string(entry.key), keyField, in: message, to: &pair)
                    var valueField = field
                    valueField.number = 2
                    try write(entry.value, valueField, in: message, to: &pair)
                    writer.bytesField(field.number, pair.bytes)
                }
            }
        }
        return writer.bytes
    }

    private func mismatch(_ field: ProtobufSchema.Field, in message: ProtobufSchema.Message, _ value: Value,
                          _ wanted: String) -> Failure {
        Failure(description: "\(message.name).\(field.jsonName): \(value.typeDescription) where \(wanted) is expected")
    }

    private func write(_ value: Value, _ field: ProtobufSchema.Field, in message: ProtobufSchema.Message,
                       to writer: inout ProtobufWriter) throws(Failure) {
        switch field.type {
        case .scalar(let scalar):
            switch (scalar, value) {
            case (.string, .string(let s)): writer.stringField(field.number, s)
            case (.string, _) where value.scalarText != nil: writer.stringField(field.number, value.scalarText ?? "")
            case (.bytes, .string(let s)):
                guard let bytes = Base64.decode(s) else { throw mismatch(field, in: message, value, "base64 data") }
                writer.bytesField(field.number, bytes)
            case (.bool, .bool(let b)): writer.varintField(field.number, b ? 1 : 0)
            case (.int32, _), (.int64, _):
                guard let n = Self.integer(value) else { throw mismatch(field, in: message, value, "an integer") }
                writer.varintField(field.number, n)
            default: throw mismatch(field, in: message, value, "a \(scalar.rawValue)")
            }
        case .message(let index):
            writer.bytesField(field.number, try messageBytes(index, value, field: field, in: message))
        }
    }

    private static func integer(_ value: Value) -> Int64? {
        switch value {
        case .int(let i): return Int64(i)
        case .uint(let u): return Int64(exactly: u)
        case .float(let d): return d.rounded() == d ? Int64(exactly: d) : nil
        default: return nil
        }
    }

    /// The bytes of a message from its JSON value, special messages included.
    func messageBytes(_ index: Int, _ value: Value, field: ProtobufSchema.Field,
                      in parent: ProtobufSchema.Message) throws(Failure) -> [UInt8] {
        let message = schema.messages[index]
        var writer = ProtobufWriter()
        switch message.special {
        case .none:
            guard case .map(let object) = value else { throw mismatch(field, in: parent, value, "an object") }
            return try self.message(index, object)
        case .quantity:
            guard let text = value.scalarText, !(value.mapValue != nil) else { throw mismatch(field, in: parent, value, "a quantity") }
            writer.stringField(1, text)
        case .intstr:
            switch value {
            case .string(let s):
                writer.varintField(1, 1); writer.varintField(2, 0); writer.stringField(3, s)
            default:
                guard let n = Self.integer(value) else { throw mismatch(field, in: parent, value, "an integer or string") }
                writer.varintField(1, 0); writer.varintField(2, n); writer.stringField(3, "")
            }
        case .time, .microtime:
            guard case .string(let s) = value, let time = KubernetesTime.parse(s) else {
                throw mismatch(field, in: parent, value, "an RFC 3339 time")
            }
            writer.varintField(1, time.seconds)
            writer.varintField(2, message.special == .microtime ? Int64(time.nanos / 1000 * 1000) : 0)
        case .duration:
            guard case .string(let s) = value, let n = KubernetesTime.parseGoDuration(s) else {
                throw mismatch(field, in: parent, value, "a duration")
            }
            writer.varintField(1, n)
        case .raw:
            do {
                writer.bytesField(1, try JSONEncoding().bytes(value))
            } catch {
                throw Failure(description: "\(parent.name).\(field.jsonName): \(error)")
            }
        case .list:
            guard case .list(let items) = value else { throw mismatch(field, in: parent, value, "a list") }
            for item in items { writer.stringField(1, item.scalarText ?? "") }
        }
        return writer.bytes
    }
}
