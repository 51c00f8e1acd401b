package import TetherModel

/// The Kubernetes protobuf wire format (`application/vnd.kubernetes.protobuf`):
/// the 4-byte magic `k8s\0`, then a `runtime.Unknown` whose `typeMeta` names
/// the object's apiVersion and kind and whose `raw` holds the object's
/// message. Bodies are translated to and from the JSON objects the store
/// keeps, so the rest of the emulator sees only JSON.
package enum KubernetesProtobuf {
    /// The media type of Kubernetes protobuf bodies.
    package static let mediaType = "application/vnd.kubernetes.protobuf"
    static let magic: [UInt8] = [0x6B, 0x38, 0x73, 0x00]

    /// The JSON object of a protobuf request body.
    /// - Throws: `EmulatorError.badRequest` when the body is not a Kubernetes
    ///   protobuf envelope, names a kind without a protobuf message, or does not
    ///   match that kind's message.
    static func decode(_ body: [UInt8], schema: ProtobufSchema = .kubernetes) throws(EmulatorError) -> Value {
        guard body.count >= 4, Array(body[0..<4]) == magic else {
            throw .badRequest("the body of the request could not be decoded: provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]")
        }
        do {
            var reader = ProtobufReader(body, range: 4..<body.count)
            var apiVersion = "", kind = "", contentEncoding = ""
            var raw = 0..<0
            while !reader.atEnd {
                let (number, wireType) = try reader.tag()
                guard wireType == .lengthDelimited else { try reader.skip(wireType); continue }
                let range = try reader.lengthDelimited()
                switch number {
                case 1:
                    var meta = ProtobufReader(body, range: range)
                    while !meta.atEnd {
                        let (field, type) = try meta.tag()
                        guard type == .lengthDelimited else { try meta.skip(type); continue }
                        let text = String(decoding: body[try meta.lengthDelimited()], as: UTF8.self)
                        if field == 1 { apiVersion = text } else if field == 2 { kind = text }
                    }
                case 2: raw = range
                case 3: contentEncoding = String(decoding: body[range], as: UTF8.self)
                default: break
                }
            }
            guard contentEncoding.isEmpty else {
                throw EmulatorError.badRequest("the body of the request could not be decoded: content encoding '\(contentEncoding)' is not supported")
            }
            guard let index = schema.message(apiVersion: apiVersion, kind: kind) else {
                throw EmulatorError.badRequest(
                    "the body of the request could not be decoded: no kind \"\(kind)\" is registered for version \"\(apiVersion)\" in protobuf")
            }
            var object = OrderedMap()
            object["kind"] = .string(kind)
            object["apiVersion"] = .string(apiVersion)
            for entry in try ProtobufDecoder(schema: schema).object(index, body, raw) { object[entry.key] = entry.value }
            return .map(object)
        } catch let error as EmulatorError {
            throw error
        } catch {
            throw .badRequest("the body of the request could not be decoded: \(error)", cause: error)
        }
    }

    /// The protobuf envelope for a JSON object, or nil when its kind has no
    /// protobuf message (custom resources, which the API server serves only as JSON).
    /// - Parameter object: a built-in object with `apiVersion` and `kind`.
    /// - Returns: the bytes, magic included.
    /// - Throws: `EmulatorError.internalError` when the object does not fit its message.
    package static func encode(_ object: Value) throws(EmulatorError) -> [UInt8]? {
        try encode(object, using: .kubernetes)
    }

    static func encode(_ object: Value, using schema: ProtobufSchema) throws(EmulatorError) -> [UInt8]? {
        guard case .map(let map) = object, let kind = map["kind"]?.stringValue,
              let apiVersion = map["apiVersion"]?.stringValue,
              let index = schema.message(apiVersion: apiVersion, kind: kind)
        else { return nil }
        let raw: [UInt8]
        do {
            raw = try ProtobufEncoder(schema: schema).message(index, map)
        } catch {
            throw EmulatorError(.internalError, "encoding \(kind) as protobuf: \(error)", cause: error)
        }
        var meta = ProtobufWriter()
        meta.stringField(1, apiVersion)
        meta.stringField(2, kind)
        var envelope = ProtobufWriter()
        envelope.bytesField(1, meta.bytes)
        envelope.bytesField(2, raw)
        envelope.stringField(3, "")
        envelope.stringField(4, "")
        return magic + envelope.bytes
    }
}
