import Foundation

/// Encodes spans as an OTLP `ExportTraceServiceRequest` in the protobuf wire format
/// (OTLP/HTTP's default, `application/x-protobuf`), field numbers as in
/// `opentelemetry/proto/trace/v1/trace.proto` and `common/v1/common.proto`. Written out
/// here because the message set is small and fixed; it needs no code generator.
enum OTLPEncoding {
    /// - Parameters:
    ///   - resource: the resource attributes (`service.name`, …).
    ///   - scope: the instrumentation scope's name and version.
    static func exportRequest(_ spans: [TraceSpan], resource: [(String, TraceSpan.Attribute)], scope: (name: String, version: String)) -> [UInt8] {
        var scopeSpans = ProtoWriter()
        var scopeMessage = ProtoWriter()
        scopeMessage.string(1, scope.name)
        scopeMessage.string(2, scope.version)
        scopeSpans.message(1, scopeMessage)
        for span in spans { scopeSpans.message(2, encode(span)) }
        var resourceMessage = ProtoWriter()
        for (key, value) in resource { resourceMessage.message(1, keyValue(key, value)) }
        var resourceSpans = ProtoWriter()
        resourceSpans.message(1, resourceMessage)
        resourceSpans.message(2, scopeSpans)
        var request = ProtoWriter()
        request.message(1, resourceSpans)
        return request.bytes
    }

    static func encode(_ span: TraceSpan) -> ProtoWriter {
        var w = ProtoWriter()
        w.bytes(1, span.traceID)
        w.bytes(2, span.spanID)
        if let parent = span.parentSpanID { w.bytes(4, parent) }
        w.string(5, span.name)
        w.varint(6, 1)  // SPAN_KIND_INTERNAL
        w.fixed64(7, nanoseconds(span.start))
        w.fixed64(8, nanoseconds(span.end))
        for (key, value) in span.attributes { w.message(9, keyValue(key, value)) }
        var status = ProtoWriter()
        switch span.status {
        case .unset: break
        case .ok: status.varint(3, 1)
        case .error(let message):
            status.string(2, message)
            status.varint(3, 2)
        }
        w.message(15, status)
        return w
    }

    static func keyValue(_ key: String, _ value: TraceSpan.Attribute) -> ProtoWriter {
        var any = ProtoWriter()
        switch value {
        case .string(let s): any.string(1, s, always: true)
        case .bool(let b): any.varint(2, b ? 1 : 0, always: true)
        case .int(let i): any.varint(3, UInt64(bitPattern: Int64(i)), always: true)
        case .double(let d): any.fixed64(4, d.bitPattern, always: true)
        }
        var kv = ProtoWriter()
        kv.string(1, key)
        kv.message(2, any)
        return kv
    }

    static func nanoseconds(_ date: Date) -> UInt64 {
        UInt64(max(0, date.timeIntervalSince1970 * 1_000_000_000).rounded())
    }
}

/// The protobuf wire format, just the parts OTLP uses.
struct ProtoWriter {
    private(set) var bytes: [UInt8] = []

    private mutating func raw(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    private mutating func tag(_ field: Int, _ wireType: UInt64) { raw(UInt64(field) << 3 | wireType) }

    /// Proto3 leaves out default values; `always` writes them (a oneof member must be present).
    mutating func varint(_ field: Int, _ value: UInt64, always: Bool = false) {
        guard value != 0 || always else { return }
        tag(field, 0)
        raw(value)
    }

    mutating func fixed64(_ field: Int, _ value: UInt64, always: Bool = false) {
        guard value != 0 || always else { return }
        tag(field, 1)
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8((value >> UInt64(shift)) & 0xFF)) }
    }

    mutating func bytes(_ field: Int, _ value: [UInt8], always: Bool = false) {
        guard !value.isEmpty || always else { return }
        tag(field, 2)
        raw(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ field: Int, _ value: String, always: Bool = false) { bytes(field, Array(value.utf8), always: always) }

    mutating func message(_ field: Int, _ value: ProtoWriter) { bytes(field, value.bytes, always: true) }
}
