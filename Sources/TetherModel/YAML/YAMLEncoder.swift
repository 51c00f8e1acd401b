internal import CYAML

/// Encodes `Value`s as YAML byte-identical to what `kubectl kustomize` prints
/// for the same data.
///
/// kustomize writes with go-yaml v3, whose emitter is a port of libyaml's;
/// this encoder drives libyaml's own emitter with go-yaml's choices: keys in
/// go-yaml's order (`KeyOrder`), 2-space indent, sequences not indented under
/// their key, 80-column folding, Unicode kept, and go-yaml's scalar styles:
/// strings that would read back as something else (`"yes"`, `"1.0"`, `""`)
/// double-quoted, multi-line strings as literal blocks, and the emitter's own
/// fall-back to single or double quotes when plain is not allowed (`' x'`).
package struct YAMLEncoder: Sendable {
    /// Deepest nesting the encoder accepts (its recursion is bounded by this).
    package var maxDepth = 512
    /// Write map keys in the order the map holds them instead of go-yaml's
    /// sorted order (what `sops --decrypt` does: order is part of its MAC).
    package var keepsKeyOrder = false

    package init() {}

    /// Encodes documents separated by `---` lines, as a multi-document stream.
    /// - Throws: `ModelError` (`.unsupportedValue`) for infinities and NaN,
    ///   which no Kubernetes object can hold, or `.limitExceeded` when
    ///   nesting exceeds `maxDepth`.
    package func encode(documents: [Value]) throws(ModelError) -> String {
        let session = try EmitterSession()
        session.keepsKeyOrder = keepsKeyOrder
        try session.emit(documents: documents, maxDepth: maxDepth)
        return session.output()
    }

    /// Encodes a single document.
    package func encode(_ value: Value) throws(ModelError) -> String {
        try encode(documents: [value])
    }
}

/// Collects the emitter's output. A class so the C write callback can reach
/// it through an opaque pointer.
private final class OutputBuffer {
    var bytes: [UInt8] = []
    init() { bytes.reserveCapacity(1 << 16) }
}

/// One libyaml emitter, used by one caller at a time and freed on deinit.
/// The emitter lives at a fixed heap address because libyaml keeps working
/// state in it between calls.
private final class EmitterSession {
    private let emitter: UnsafeMutablePointer<yaml_emitter_t>
    private let buffer = OutputBuffer()
    var keepsKeyOrder = false

    init() throws(ModelError) {
        emitter = .allocate(capacity: 1)
        emitter.initialize(to: yaml_emitter_t())
        guard yaml_emitter_initialize(emitter) == 1 else {
            emitter.deallocate()
            throw ModelError(.invalidYAML, "libyaml could not allocate an emitter")
        }
        let context = Unmanaged.passUnretained(buffer).toOpaque()
        yaml_emitter_set_output(emitter, { context, data, size in
            guard let context, let data else { return 0 }
            let out = Unmanaged<OutputBuffer>.fromOpaque(context).takeUnretainedValue()
            out.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: size))
            return 1
        }, context)
        yaml_emitter_set_unicode(emitter, 1)
        yaml_emitter_set_indent(emitter, 2)
        yaml_emitter_set_width(emitter, 80)
        yaml_emitter_set_break(emitter, YAML_LN_BREAK)
    }

    deinit {
        yaml_emitter_delete(emitter)
        emitter.deallocate()
    }

    /// The text written. libyaml ends a document whose last scalar is open
    /// ended (a `|+` block) with a `...` marker that go-yaml does not write;
    /// such a line can only be a marker (block content is indented), so it
    /// is dropped.
    func output() -> String {
        let bytes = buffer.bytes
        guard Self.containsEndMarker(bytes) else { return String(decoding: bytes, as: UTF8.self) }
        var kept: [UInt8] = []
        kept.reserveCapacity(bytes.count)
        var lineStart = 0
        for i in bytes.indices where bytes[i] == 0x0A {
            let line = bytes[lineStart..<i]
            if !line.elementsEqual([0x2E, 0x2E, 0x2E]) { kept.append(contentsOf: bytes[lineStart...i]) }
            lineStart = i + 1
        }
        kept.append(contentsOf: bytes[lineStart...])
        return String(decoding: kept, as: UTF8.self)
    }

    /// Whether a line consisting of `...` exists.
    private static func containsEndMarker(_ bytes: [UInt8]) -> Bool {
        var i = 0
        while i + 3 <= bytes.count {
            if bytes[i] == 0x2E && bytes[i + 1] == 0x2E && bytes[i + 2] == 0x2E
                && (i == 0 || bytes[i - 1] == 0x0A) && (i + 3 == bytes.count || bytes[i + 3] == 0x0A)
            {
                return true
            }
            i += 1
        }
        return false
    }

    func emit(documents: [Value], maxDepth: Int) throws(ModelError) {
        var event = yaml_event_t()
        yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING)
        try send(&event)
        for document in documents {
            yaml_document_start_event_initialize(&event, nil, nil, nil, 1)
            try send(&event)
            try node(document, depth: 0, maxDepth: maxDepth)
            yaml_document_end_event_initialize(&event, 1)
            try send(&event)
        }
        yaml_stream_end_event_initialize(&event)
        try send(&event)
    }

    private func send(_ event: inout yaml_event_t) throws(ModelError) {
        guard yaml_emitter_emit(emitter, &event) == 1 else {
            let problem = emitter.pointee.problem.map { String(cString: $0) } ?? "unknown error"
            throw ModelError(.invalidYAML, "libyaml could not emit YAML: \(problem)")
        }
    }

    private func node(_ value: Value, depth: Int, maxDepth: Int) throws(ModelError) {
        guard depth <= maxDepth else {
            throw ModelError(.limitExceeded, "value nests deeper than \(maxDepth) levels and cannot be encoded")
        }
        var event = yaml_event_t()
        switch value {
        case .null:
            try scalar("null", style: YAML_PLAIN_SCALAR_STYLE)
        case .bool(let b):
            try scalar(b ? "true" : "false", style: YAML_PLAIN_SCALAR_STYLE)
        case .int(let i):
            try scalar(String(i), style: YAML_PLAIN_SCALAR_STYLE)
        case .uint(let u):
            try scalar(String(u), style: YAML_PLAIN_SCALAR_STYLE)
        case .float(let d):
            guard d.isFinite else {
                throw ModelError(.unsupportedValue, "\(d) cannot be represented in a Kubernetes object")
            }
            try scalar(GoFloat.yamlText(d), style: YAML_PLAIN_SCALAR_STYLE)
        case .string(let s):
            try scalar(s, style: Self.style(for: s))
        case .list(let items):
            yaml_sequence_start_event_initialize(&event, nil, nil, 1, YAML_BLOCK_SEQUENCE_STYLE)
            try send(&event)
            for item in items { try node(item, depth: depth + 1, maxDepth: maxDepth) }
            yaml_sequence_end_event_initialize(&event)
            try send(&event)
        case .map(let map):
            yaml_mapping_start_event_initialize(&event, nil, nil, 1, YAML_BLOCK_MAPPING_STYLE)
            try send(&event)
            for entry in keepsKeyOrder ? map.entries : Self.sortedEntries(map) {
                try scalar(entry.key, style: Self.style(for: entry.key))
                try node(entry.value, depth: depth + 1, maxDepth: maxDepth)
            }
            yaml_mapping_end_event_initialize(&event)
            try send(&event)
        }
    }

    private func scalar(_ text: String, style: yaml_scalar_style_t) throws(ModelError) {
        var event = yaml_event_t()
        var text = text
        let ok = text.withUTF8 { utf8 -> Bool in
            // libyaml copies the value; a zero-length buffer may have no base
            // address, so give it a valid pointer either way.
            var empty: UInt8 = 0
            return withUnsafeMutablePointer(to: &empty) { fallback in
                let base = UnsafeMutablePointer(mutating: utf8.baseAddress) ?? fallback
                return yaml_scalar_event_initialize(&event, nil, nil, base, Int32(utf8.count), 1, 1, style) == 1
            }
        }
        guard ok else { throw ModelError(.invalidYAML, "libyaml could not create a scalar event") }
        try send(&event)
    }

    /// go-yaml v3's style for a string: literal when multi-line, double
    /// quotes when plain would read back as another type, else plain (which
    /// the emitter itself may still turn into quotes).
    static func style(for s: String) -> yaml_scalar_style_t {
        if Bytes.contains(s, 0x0A) { return YAML_LITERAL_SCALAR_STYLE }
        return ScalarResolver.needsQuoting(s) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_PLAIN_SCALAR_STYLE
    }

    /// Map entries in go-yaml's key order; most maps arrive sorted already.
    static func sortedEntries(_ map: OrderedMap) -> [OrderedMap.Entry] {
        let entries = map.entries
        var sorted = true
        var i = 1
        while i < entries.count {
            if !KeyOrder.areInIncreasingOrder(entries[i - 1].key, entries[i].key) {
                sorted = false
                break
            }
            i += 1
        }
        if sorted { return entries }
        return entries.sorted { KeyOrder.areInIncreasingOrder($0.key, $1.key) }
    }
}
