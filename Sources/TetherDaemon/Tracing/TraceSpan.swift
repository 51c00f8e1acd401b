package import Foundation

/// One finished span, as OTLP carries it (`opentelemetry.proto.trace.v1.Span`).
package struct TraceSpan: Sendable, Equatable {
    package enum Attribute: Sendable, Equatable {
        case string(String)
        case int(Int)
        case bool(Bool)
        case double(Double)
    }

    package enum Status: Sendable, Equatable {
        case unset, ok
        case error(String)
    }

    /// 16 bytes.
    package var traceID: [UInt8]
    /// 8 bytes.
    package var spanID: [UInt8]
    package var parentSpanID: [UInt8]?
    package var name: String
    package var start: Date
    package var end: Date
    package var attributes: [(String, Attribute)]
    package var status: Status

    package init(traceID: [UInt8], spanID: [UInt8], parentSpanID: [UInt8]? = nil, name: String, start: Date, end: Date,
                 attributes: [(String, Attribute)] = [], status: Status = .unset) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.name = name
        self.start = start
        self.end = end
        self.attributes = attributes
        self.status = status
    }

    package static func == (a: TraceSpan, b: TraceSpan) -> Bool {
        a.traceID == b.traceID && a.spanID == b.spanID && a.parentSpanID == b.parentSpanID && a.name == b.name
            && a.start == b.start && a.end == b.end && a.status == b.status
            && a.attributes.map(\.0) == b.attributes.map(\.0) && a.attributes.map(\.1) == b.attributes.map(\.1)
    }

    /// Random ids, as the W3C trace-context and OTLP require (never all zero).
    package static func randomID(bytes: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var id = (0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
        if id.allSatisfy({ $0 == 0 }) { id[0] = 1 }
        return id
    }
}
