import TetherModel

/// Translates a Kubernetes protobuf message into the JSON value Go's
/// encoding/json would give for the same object.
struct ProtobufDecoder {
    let schema: ProtobufSchema

    typealias Failure = ProtobufReader.Failure

    /// The JSON object for the message `index` held in `bytes[range]`.
    func object(_ index: Int, _ bytes: [UInt8], _ range: Range<Int>) throws(Failure) -> OrderedMap {
        let message = schema.messages[index]
        var single: [Int: Value] = [:]
        var lists: [Int: [Value]] = [:]
        var maps: [Int: OrderedMap] = [:]
        var reader = ProtobufReader(bytes, range: range)
        while !reader.atEnd {
            let (number, wireType) = try reader.tag()
            guard let position = message.byNumber[number] else {
                try reader.skip(wireType)  // an unknown field, as proto decoders skip them
                continue
            }
            let field = message.fields[position]
            switch field.cardinality {
            case .optional:
                single[number] = try value(field.type, wireType, &reader, field: field, in: message)
            case .repeated:
                if case .scalar(let scalar) = field.type, scalar != .string, scalar != .bytes, wireType == .lengthDelimited {
                    // A packed repeated scalar.
                    var packed = ProtobufReader(bytes, range: try reader.lengthDelimited())
                    while !packed.atEnd { lists[number, default: []].append(try value(field.type, .varint, &packed, field: field, in: message)) }
                } else {
                    lists[number, default: []].append(try value(field.type, wireType, &reader, field: field, in: message))
                }
            case .map(let keyType):
                try expect(wireType, .lengthDelimited, field, in: message)
                let (key, entry) = try mapEntry(keyType, field, &reader, in: message)
                maps[number, default: OrderedMap()][key] = entry
            }
        }
        var object = OrderedMap()
        for field in message.fields {
            switch field.cardinality {
            case .optional:
                guard let value = single[field.number] else { continue }
                if field.inline, case .map(let inner) = value {
                    for entry in inner { object[entry.key] = entry.value }
                    continue
                }
                // A present but empty Time or RawExtension is Go's zero value of a
                // non-pointer field, which encoding/json writes as null.
                if !field.keepsZero, Self.isZeroScalar(value, field.type) { continue }
                object[field.jsonName] = value
            case .repeated:
                if let values = lists[field.number] { object[field.jsonName] = .list(values) }
            case .map:
                if let entries = maps[field.number] { object[field.jsonName] = .map(entries) }
            }
        }
        return object
    }

    private static func isZeroScalar(_ value: Value, _ type: ProtobufSchema.FieldType) -> Bool {
        guard case .scalar = type else { return false }
        switch value {
        case .string(let s): return s.isEmpty
        case .int(let i): return i == 0
        case .bool(let b): return !b
        default: return false
        }
    }

    private func expect(_ wireType: ProtobufReader.WireType, _ wanted: ProtobufReader.WireType,
                        _ field: ProtobufSchema.Field, in message: ProtobufSchema.Message) throws(Failure) {
        guard wireType == wanted else {
            throw Failure(description: "\(message.name).\(field.jsonName) (field \(field.number)): wire type \(wireType.rawValue), expected \(wanted.rawValue)")
        }
    }

    private func value(_ type: ProtobufSchema.FieldType, _ wireType: ProtobufReader.WireType, _ reader: inout ProtobufReader,
                       field: ProtobufSchema.Field, in message: ProtobufSchema.Message) throws(Failure) -> Value {
        switch type {
        case .scalar(let scalar):
            switch scalar {
            case .string, .bytes:
                try expect(wireType, .lengthDelimited, field, in: message)
                let range = try reader.lengthDelimited()
                return scalar == .string ? .string(String(decoding: reader.bytes[range], as: UTF8.self))
                                         : .string(Base64.encode(reader.bytes[range]))
            case .bool:
                try expect(wireType, .varint, field, in: message)
                return .bool(try reader.varint() != 0)
            case .int32:
                try expect(wireType, .varint, field, in: message)
                return .int(Int(Int32(truncatingIfNeeded: try reader.varint())))
            case .int64:
                try expect(wireType, .varint, field, in: message)
                return .int(Int(Int64(bitPattern: try reader.varint())))
            }
        case .message(let index):
            try expect(wireType, .lengthDelimited, field, in: message)
            return try messageValue(index, reader.bytes, try reader.lengthDelimited())
        }
    }

    private func mapEntry(_ keyType: ProtobufSchema.Scalar, _ field: ProtobufSchema.Field, _ reader: inout ProtobufReader,
                          in message: ProtobufSchema.Message) throws(Failure) -> (String, Value) {
        var entry = ProtobufReader(reader.bytes, range: try reader.lengthDelimited())
        var key = ""
        var value: Value?
        let keyField = ProtobufSchema.Field(number: 1, jsonName: field.jsonName + ".key", cardinality: .optional,
                                            type: .scalar(keyType), inline: false, keepsZero: true)
        while !entry.atEnd {
            let (number, wireType) = try entry.tag()
            switch number {
            case 1: key = try self.value(.scalar(keyType), wireType, &entry, field: keyField, in: message).scalarText ?? ""
            case 2: value = try self.value(field.type, wireType, &entry, field: field, in: message)
            default: try entry.skip(wireType)
            }
        }
        return (key, value ?? zero(field.type))
    }

    private func zero(_ type: ProtobufSchema.FieldType) -> Value {
        switch type {
        case .scalar(.bool): return .bool(false)
        case .scalar(.int32), .scalar(.int64): return .int(0)
        case .scalar: return .string("")
        case .message(let index):
            return (try? messageValue(index, [], 0..<0)) ?? .map(OrderedMap())
        }
    }

    /// A message's JSON value: an object, or the JSON form of a special message.
    func messageValue(_ index: Int, _ bytes: [UInt8], _ range: Range<Int>) throws(Failure) -> Value {
        let message = schema.messages[index]
        if message.special == .none { return .map(try object(index, bytes, range)) }
        var fields: [Int: UInt64] = [:]
        var records: [Int: [Range<Int>]] = [:]
        var reader = ProtobufReader(bytes, range: range)
        while !reader.atEnd {
            let (number, wireType) = try reader.tag()
            switch wireType {
            case .varint: fields[number] = try reader.varint()
            case .lengthDelimited: records[number, default: []].append(try reader.lengthDelimited())
            default: try reader.skip(wireType)
            }
        }
        func text(_ number: Int) -> String? {
            records[number]?.last.map { String(decoding: bytes[$0], as: UTF8.self) }
        }
        switch message.special {
        case .none:
            return .null
        case .quantity:
            return .string(text(1) ?? "0")
        case .intstr:
            if fields[1] == 1 { return .string(text(3) ?? "") }
            return .int(Int(Int32(truncatingIfNeeded: fields[2] ?? 0)))
        case .time, .microtime:
            // An empty Time message is Go's zero time, which JSON writes as null.
            guard fields[1] != nil || fields[2] != nil else { return .null }
            return .string(KubernetesTime.format(seconds: Int64(bitPattern: fields[1] ?? 0),
                                                 nanos: Int(Int32(truncatingIfNeeded: fields[2] ?? 0)),
                                                 micro: message.special == .microtime))
        case .duration:
            return .string(KubernetesTime.goDuration(Int64(bitPattern: fields[1] ?? 0)))
        case .raw:
            guard let range = records[1]?.last, !range.isEmpty else { return .null }
            do {
                return try JSONParsing().value(from: Array(bytes[range]))
            } catch {
                throw Failure(description: "\(message.name): raw bytes are not JSON: \(error)")
            }
        case .list:
            guard let field = message.fields.first, case .scalar(let scalar) = field.type, scalar == .string else {
                throw Failure(description: "\(message.name): a list message of non-string items is not supported")
            }
            return .list((records[1] ?? []).map { .string(String(decoding: bytes[$0], as: UTF8.self)) })
        }
    }
}
