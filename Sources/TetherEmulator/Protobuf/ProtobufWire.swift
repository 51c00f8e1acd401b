/// Reads the protobuf wire format (varints and length-delimited records).
struct ProtobufReader {
    enum WireType: Int {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int

    init(_ bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        position = range?.lowerBound ?? 0
        end = range?.upperBound ?? bytes.count
    }

    var atEnd: Bool { position >= end }

    mutating func varint() throws(Failure) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while position < end {
            let byte = bytes[position]
            position += 1
            if shift < 64 { result |= UInt64(byte & 0x7F) << shift }
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 70 { break }
        }
        throw Failure(description: "truncated or overlong varint at byte \(position)")
    }

    /// The next field's number and wire type.
    mutating func tag() throws(Failure) -> (number: Int, wireType: WireType) {
        let key = try varint()
        guard let wireType = WireType(rawValue: Int(key & 7)), key >> 3 > 0, key >> 3 < 1 << 29 else {
            throw Failure(description: "unsupported field key \(key) at byte \(position)")
        }
        return (Int(key >> 3), wireType)
    }

    /// The byte range of a length-delimited record.
    mutating func lengthDelimited() throws(Failure) -> Range<Int> {
        let length = try varint()
        guard length <= UInt64(end - position) else {
            throw Failure(description: "record of \(length) bytes overruns the message at byte \(position)")
        }
        let start = position
        position += Int(length)
        return start..<position
    }

    mutating func skip(_ wireType: WireType) throws(Failure) {
        switch wireType {
        case .varint: _ = try varint()
        case .lengthDelimited: _ = try lengthDelimited()
        case .fixed64, .fixed32:
            let size = wireType == .fixed64 ? 8 : 4
            guard end - position >= size else { throw Failure(description: "truncated fixed field at byte \(position)") }
            position += size
        }
    }
}

/// Writes the protobuf wire format.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func tag(_ number: Int, _ wireType: ProtobufReader.WireType) {
        varint(UInt64(number) << 3 | UInt64(wireType.rawValue))
    }

    mutating func varintField(_ number: Int, _ value: Int64) {
        tag(number, .varint)
        varint(UInt64(bitPattern: value))
    }

    mutating func bytesField<C: Collection>(_ number: Int, _ value: C) where C.Element == UInt8 {
        tag(number, .lengthDelimited)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func stringField(_ number: Int, _ value: String) {
        bytesField(number, value.utf8)
    }
}
