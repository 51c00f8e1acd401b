internal import CYAML
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One YAML document decoded into a `Value`, with where it came from.
package struct YAMLDocument: Sendable {
    /// The decoded data.
    package var value: Value
    /// The file and the line where the document's content starts.
    package var location: SourceLocation
    /// Zero-based position of the document in its stream, counting skipped
    /// empty documents.
    package var index: Int
    /// Line and column of each node, by JSON pointer (`/spec/replicas`);
    /// filled only when `YAMLDecoder.Options.recordPositions` is set.
    package var positions: [String: SourceLocation]

    /// The recorded location of the node at `pointer`, else of the document.
    package func location(of pointer: String) -> SourceLocation {
        positions[pointer] ?? location
    }
}

/// Decodes YAML streams through libyaml's event API into `Value`s, resolving
/// plain scalars the way `kubectl kustomize` does (see `ScalarResolver`).
///
/// Decoding is all or nothing: an error anywhere in the stream fails the
/// whole stream, because a shortened list of objects followed by a prune is
/// how GitOps tools delete production. Building is iterative (an explicit
/// stack, bounded by `Limits.maxDepth`), so hostile nesting cannot overflow
/// the thread's stack.
package struct YAMLDecoder: Sendable {
    /// Bounds that keep hostile input from exhausting memory, time or stack.
    package struct Limits: Sendable {
        /// Largest single document, in bytes.
        package var maxDocumentBytes: Int = 16 << 20
        /// Largest whole stream, in bytes.
        package var maxStreamBytes: Int = 1 << 30
        /// Deepest nesting of maps and lists.
        package var maxDepth: Int = 200
        /// Most nodes that alias expansion may add to one stream.
        package var maxAliasExpansion: Int = 1_000_000
        package init() {}
    }

    /// What to record beside the values.
    package struct Options: Sendable {
        /// Record every node's line and column (costs memory; meant for small
        /// files such as kustomizations and patches).
        package var recordPositions = false
        /// Read unquoted `y`, `yes`, `on`, `n`, `no`, `off` (any case variant
        /// go-yaml v2 knows) as booleans, the YAML 1.1 way. kustomize reads
        /// JSON 6902 patches through a YAML 1.1 reader; everything else it
        /// reads with YAML 1.2 rules, the default here.
        package var yaml11Booleans = false
        /// What a mapping key that appears twice does: refused (the default, as
        /// kubectl's strict reader does), or the later value replaces the earlier
        /// one in place, as go-yaml v2 does for Helm's rendered documents.
        package var duplicateKeys: DuplicateKeys = .refuse
        /// Read every plain scalar under a document's top-level
        /// `metadata.annotations` as the string of its source text, as
        /// kustomize prints resources' annotations (it rewrites them from each
        /// node's text: `0755`, `1.0`, `~`, `0x1F`, `.inf`, `2024-01-01` stay
        /// as written).
        package var annotationsAsText = false
        /// What a mapping key that resolves to a number or boolean does.
        package var scalarKeys: ScalarKeys = .refuse
        package init(
            recordPositions: Bool = false, yaml11Booleans: Bool = false, duplicateKeys: DuplicateKeys = .refuse,
            annotationsAsText: Bool = false, scalarKeys: ScalarKeys = .refuse
        ) {
            self.recordPositions = recordPositions
            self.yaml11Booleans = yaml11Booleans
            self.duplicateKeys = duplicateKeys
            self.annotationsAsText = annotationsAsText
            self.scalarKeys = scalarKeys
        }
    }

    /// How a mapping key that is a number or a boolean (`10:`, `1.5:`, `true:`) is read.
    package enum ScalarKeys: Sendable {
        /// Refused: Kubernetes objects only have string keys.
        case refuse
        /// Turned into the string sigs.k8s.io/yaml makes of it on its way to JSON, as Helm reads
        /// values files and chart metadata: integers in decimal (`0x10` is `"16"`), floats as Go's
        /// `FormatFloat(f, 'g', -1, 32)` (`1e6` is `"1e+06"`, `.inf` is `".inf"`), booleans as
        /// `"true"`/`"false"`. A `null` key is still refused, as it is there.
        case stringified
    }

    /// How a repeated mapping key is read.
    package enum DuplicateKeys: Sendable {
        case refuse
        case lastWins
    }

    package var limits: Limits
    package var options: Options

    package init(limits: Limits = Limits(), options: Options = Options()) {
        self.limits = limits
        self.options = options
    }

    /// Decodes every document of `text`; `null` and empty documents are
    /// dropped.
    /// - Parameters:
    ///   - text: the YAML stream.
    ///   - file: the name used in locations and errors.
    /// - Returns: the non-empty documents, in order.
    /// - Throws: `ModelError` with the file, line and column of the first
    ///   problem: invalid YAML or UTF-8, a duplicate key, a non-string key, a
    ///   value JSON cannot hold (`.inf`), or an exceeded limit.
    package func decode(_ text: String, file: String) throws(ModelError) -> [YAMLDocument] {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(ModelError) -> [YAMLDocument] in try decode(bytes: buffer, file: file) }
        }
        return try result.get()
    }

    /// Decodes raw bytes, which need not be valid UTF-8 (libyaml reports the
    /// offending position).
    package func decode(bytes: [UInt8], file: String) throws(ModelError) -> [YAMLDocument] {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(ModelError) -> [YAMLDocument] in try decode(bytes: buffer, file: file) }
        }
        return try result.get()
    }

    /// Decodes raw bytes from a buffer that stays valid during the call.
    package func decode(bytes: UnsafeBufferPointer<UInt8>, file: String) throws(ModelError) -> [YAMLDocument] {
        guard bytes.count <= limits.maxStreamBytes else {
            throw ModelError(
                .limitExceeded,
                "input is \(bytes.count) bytes, more than the limit of \(limits.maxStreamBytes). Split it into smaller files.",
                at: SourceLocation(file: file))
        }
        if bytes.count > limits.maxDocumentBytes {
            try Self.checkDocumentSpans(bytes, file: file, limit: limits.maxDocumentBytes)
        }
        var builder = EventBuilder(file: file, limits: limits, options: options, input: bytes)
        return try builder.run()
    }
}

extension YAMLDecoder {
    /// Refuses an oversized document before parsing it: libyaml would scan a
    /// huge scalar whole before the first event could be checked. Document
    /// boundaries are lines starting with `---` or `...`; the scan runs at
    /// `memchr` speed.
    static func checkDocumentSpans(_ bytes: UnsafeBufferPointer<UInt8>, file: String, limit: Int) throws(ModelError) {
        guard let base = bytes.baseAddress else { return }
        var start = 0, startLine = 1, line = 1, position = 0
        func check(_ end: Int) throws(ModelError) {
            guard end - start > limit else { return }
            throw ModelError(
                .limitExceeded,
                "document is larger than the limit of \(limit) bytes. Split it into smaller documents.",
                at: SourceLocation(file: file, line: startLine, column: 1))
        }
        while position < bytes.count, let hit = memchr(base + position, 0x0A, bytes.count - position) {
            let next = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base + 1
            line += 1
            if next + 3 <= bytes.count,
                (bytes[next] == 0x2D && bytes[next + 1] == 0x2D && bytes[next + 2] == 0x2D)
                    || (bytes[next] == 0x2E && bytes[next + 1] == 0x2E && bytes[next + 2] == 0x2E)
            {
                try check(next)
                start = next
                startLine = line
            }
            position = next
        }
        try check(bytes.count)
    }
}

/// The event loop and the explicit build stack behind `YAMLDecoder`.
private struct EventBuilder {
    enum Key {
        case string(String)
        case merge
    }

    struct Frame {
        var isMap: Bool
        var list: [Value] = []
        var map = OrderedMap()
        var pendingKey: Key?
        var keyMark = yaml_mark_t()
        var merges: [(Value, yaml_mark_t)] = []
        var anchor: String?
        var nodes = 1
        var mark: yaml_mark_t
        var pathLength: Int
    }

    let file: String
    let limits: YAMLDecoder.Limits
    let options: YAMLDecoder.Options
    let input: UnsafeBufferPointer<UInt8>

    var stack: [Frame] = []
    var anchors: [String: (value: Value, nodes: Int)] = [:]
    var aliasExpansion = 0
    var root: (value: Value, nodes: Int)?
    var documents: [YAMLDocument] = []
    var documentIndex = 0
    var documentStart = yaml_mark_t()
    var path: [String] = []
    var positions: [String: SourceLocation] = [:]

    init(file: String, limits: YAMLDecoder.Limits, options: YAMLDecoder.Options, input: UnsafeBufferPointer<UInt8>) {
        self.file = file
        self.limits = limits
        self.options = options
        self.input = input
    }

    func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    func fail(_ code: ModelError.Code, _ message: String, _ mark: yaml_mark_t) -> ModelError {
        ModelError(code, message, at: location(mark))
    }

    mutating func run() throws(ModelError) -> [YAMLDocument] {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw ModelError(.invalidYAML, "libyaml could not allocate a parser", at: SourceLocation(file: file))
        }
        defer { yaml_parser_delete(&parser) }
        if let base = input.baseAddress {
            yaml_parser_set_input_string(&parser, base, input.count)
        } else {
            return []
        }
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                throw parserError(parser)
            }
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT { break }
            try handle(&event)
        }
        return documents
    }

    func parserError(_ parser: yaml_parser_t) -> ModelError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
        var mark = parser.problem_mark
        if parser.error == YAML_READER_ERROR {
            // Reader errors carry a byte offset, not a mark: count lines.
            let offset = min(parser.problem_offset, input.count)
            var line = 0, column = 0
            for i in 0..<offset {
                if input[i] == 10 { line += 1; column = 0 } else { column += 1 }
            }
            mark.line = line
            mark.column = column
            return fail(
                .invalidYAML,
                "invalid input: \(problem) (byte \(offset)). Save the file as UTF-8 without control characters.",
                mark)
        }
        var message = "invalid YAML: \(problem)"
        if let context = parser.context {
            message += " (\(String(cString: context)) at line \(parser.context_mark.line + 1))"
        }
        return fail(.invalidYAML, message + ". Check the indentation and quoting on this line.", mark)
    }

    mutating func handle(_ event: inout yaml_event_t) throws(ModelError) {
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documentStart = event.start_mark
            root = nil
            anchors.removeAll(keepingCapacity: true)
            positions = [:]
            path = []
        case YAML_DOCUMENT_END_EVENT:
            let size = Int(event.end_mark.index) - Int(documentStart.index)
            try checkDocumentSize(size, event.end_mark)
            if let root, !root.value.isNull {
                documents.append(
                    YAMLDocument(
                        value: root.value, location: location(documentStart), index: documentIndex,
                        positions: positions))
            }
            documentIndex += 1
        case YAML_SCALAR_EVENT:
            try checkDocumentSize(Int(event.start_mark.index) - Int(documentStart.index), event.start_mark)
            try scalar(&event)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            try checkDocumentSize(Int(event.start_mark.index) - Int(documentStart.index), event.start_mark)
            let isMap = event.type == YAML_MAPPING_START_EVENT
            let anchorPointer = isMap ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
            if let top = stack.last, top.isMap, top.pendingKey == nil {
                throw fail(
                    .invalidYAML,
                    "a \(isMap ? "map" : "list") is used as a mapping key. Kubernetes objects only have string keys.",
                    event.start_mark)
            }
            guard stack.count < limits.maxDepth else {
                throw fail(
                    .limitExceeded,
                    "nesting is deeper than \(limits.maxDepth) levels. Flatten the document.",
                    event.start_mark)
            }
            let pathDepth = path.count
            if options.recordPositions {
                pushPathSegment()
                positions[pointer] = location(event.start_mark)
            }
            stack.append(
                Frame(
                    isMap: isMap, anchor: anchorPointer.map { String(cString: $0) }, mark: event.start_mark,
                    pathLength: pathDepth))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            var frame = stack.removeLast()
            if options.recordPositions { path.removeLast(path.count - frame.pathLength) }
            let value: Value
            if frame.isMap {
                try applyMerges(&frame)
                value = .map(frame.map)
            } else {
                value = .list(frame.list)
            }
            if let anchor = frame.anchor { anchors[anchor] = (value, frame.nodes) }
            try add(value, nodes: frame.nodes, mark: frame.mark, isScalar: false)
        case YAML_ALIAS_EVENT:
            let name = String(cString: event.data.alias.anchor)
            guard let target = anchors[name] else {
                throw fail(.invalidYAML, "unknown anchor '\(name)' referenced. Define '&\(name)' before using '*\(name)'.", event.start_mark)
            }
            aliasExpansion += target.nodes
            guard aliasExpansion <= limits.maxAliasExpansion else {
                throw fail(
                    .limitExceeded,
                    "aliases expand to more than \(limits.maxAliasExpansion) nodes (an alias bomb?). Write the data out instead of nesting aliases.",
                    event.start_mark)
            }
            try addAlias(target.value, nodes: target.nodes, mark: event.start_mark)
        default:
            break
        }
    }

    func checkDocumentSize(_ size: Int, _ mark: yaml_mark_t) throws(ModelError) {
        if size > limits.maxDocumentBytes {
            throw fail(
                .limitExceeded,
                "document is larger than the limit of \(limits.maxDocumentBytes) bytes. Split it into smaller documents.",
                mark)
        }
    }

    /// The JSON pointer of the current path.
    var pointer: String { path.isEmpty ? "" : "/" + path.joined(separator: "/") }

    /// Appends the JSON pointer segment of the next child of the top frame.
    mutating func pushPathSegment() {
        guard let top = stack.last else { return }
        if top.isMap {
            if case .string(let k)? = top.pendingKey {
                path.append(JSONPointer.escape(k))
            } else {
                path.append("<<")
            }
        } else {
            path.append(String(top.list.count))
        }
    }

    mutating func scalar(_ event: inout yaml_event_t) throws(ModelError) {
        let data = event.data.scalar
        let text = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
        let tag = data.tag.map { String(cString: $0) }
        let plain = data.style == YAML_PLAIN_SCALAR_STYLE
        let mark = event.start_mark
        if data.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE, let bad = Self.jsonUnsafeControl(in: text) {
            throw fail(
                .unsupportedValue,
                "string contains the control character U+\(bad), which kubectl kustomize refuses. Remove it, or store binary content base64-encoded (binaryData).",
                mark)
        }

        // A scalar in key position.
        if let top = stack.last, top.isMap, top.pendingKey == nil {
            if plain && tag == nil && text == "<<" {
                stack[stack.count - 1].pendingKey = .merge
            } else {
                let key = try keyString(text, plain: plain, tag: tag, mark: mark)
                if options.duplicateKeys == .refuse, stack[stack.count - 1].map.position(of: key) != nil {
                    throw fail(
                        .duplicateKey,
                        "duplicate mapping key \"\(key)\". Remove one of the two entries.", mark)
                }
                stack[stack.count - 1].pendingKey = .string(key)
            }
            stack[stack.count - 1].keyMark = mark
            return
        }
        var value = options.annotationsAsText && plain && tag == nil && isTopLevelAnnotationValue
            ? .string(text) : try scalarValue(text, plain: plain, tag: tag, mark: mark)
        if case .string(let s) = value, Bytes.contains(s, 0xC2), s.unicodeScalars.contains("\u{85}") {
            value = .string(Self.foldingNextLine(s))
        }
        if let anchorPointer = data.anchor { anchors[String(cString: anchorPointer)] = (value, 1) }
        try add(value, nodes: 1, mark: mark, isScalar: true)
    }

    /// Whether the next value is one of the document's
    /// `metadata.annotations` entries.
    var isTopLevelAnnotationValue: Bool {
        guard stack.count == 3, stack[2].isMap, case .string("metadata")? = stack[0].pendingKey,
            case .string("annotations")? = stack[1].pendingKey
        else { return false }
        return stack[0].isMap && stack[1].isMap
    }

    /// The first code point that survives Go's JSON encoding unescaped but
    /// that YAML forbids (DEL, C1 controls other than NEL, U+FFFE/U+FFFF):
    /// kustomize's JSON round trip fails on those.
    static func jsonUnsafeControl(in text: String) -> String? {
        guard Bytes.contains(text, 0x7F) || Bytes.contains(text, 0xC2) || Bytes.contains(text, 0xEF) else { return nil }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v == 0x7F || (v >= 0x80 && v <= 0x9F && v != 0x85) || v == 0xFFFE || v == 0xFFFF {
                let hex = String(v, radix: 16, uppercase: true)
                return String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            }
        }
        return nil
    }

    /// kustomize's JSON round trip leaves NEL (U+0085) raw inside a quoted
    /// string, and its YAML reader then folds it like a line break: spaces
    /// around it dropped, one break read as a space, n breaks as n-1
    /// newlines. Mirrored here so values compare and print the same.
    static func foldingNextLine(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var scalars = s.unicodeScalars[...]
        while let c = scalars.first {
            scalars = scalars.dropFirst()
            guard c == "\u{85}" else {
                out.append(c)
                continue
            }
            while out.last == " " { out.removeLast() }
            var breaks = 1
            while true {
                while scalars.first == " " { scalars = scalars.dropFirst() }
                guard scalars.first == "\u{85}" else { break }
                scalars = scalars.dropFirst()
                breaks += 1
            }
            if breaks == 1 {
                out.append(" ")
            } else {
                for _ in 1..<breaks { out.append("\n") }
            }
        }
        return String(out)
    }

    func keyString(_ text: String, plain: Bool, tag: String?, mark: yaml_mark_t) throws(ModelError) -> String {
        if options.scalarKeys == .stringified, plain, tag == nil, ScalarResolver.resolve(text) == .nonFinite {
            return text.hasSuffix("nan") || text.hasSuffix("NaN") || text.hasSuffix("NAN") ? ".nan" : text.hasPrefix("-") ? "-.inf" : ".inf"
        }
        var value = try scalarValue(text, plain: plain, tag: tag, mark: mark)
        // go-yaml reads `1e6` and `2.0` as floats, which the integer-preferring resolver does not
        if options.scalarKeys == .stringified, plain, tag == nil, !text.hasPrefix("0x"), !text.hasPrefix("-0x"), !text.hasPrefix("+0x"),
           text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
            switch value {
            case .int(let i): value = .float(Double(i))
            case .uint(let u): value = .float(Double(u))
            default: break
            }
        }
        if let key = stringifiedKey(value) { return key }
        guard case .string(let s) = value else {
            throw fail(
                .invalidYAML,
                "mapping key \(text.isEmpty ? "(empty)" : text) is \(value.typeDescription), not a string. Quote it (\"\(text)\"): Kubernetes objects only have string keys.",
                mark)
        }
        return s
    }

    /// A number or boolean key as ``ScalarKeys/stringified`` spells it; nil when keys are not
    /// stringified or `value` is no such scalar.
    func stringifiedKey(_ value: Value) -> String? {
        guard options.scalarKeys == .stringified else { return nil }
        switch value {
        case .int(let i): return String(i)
        case .uint(let u): return String(u)
        case .float(let d): return GoFloat.gFormat(d, bitSize: 32)
        case .bool(let b): return b ? "true" : "false"
        case .string, .null, .list, .map: return nil
        }
    }

    func scalarValue(_ text: String, plain: Bool, tag: String?, mark: yaml_mark_t) throws(ModelError) -> Value {
        guard let tag, tag != "!" else {
            return plain ? try resolvedPlain(text, mark: mark) : .string(text)
        }
        let prefix = "tag:yaml.org,2002:"
        guard tag.hasPrefix(prefix) else { return .string(text) }  // custom tags decode as strings
        let short = String(tag.dropFirst(prefix.count))
        let resolved = ScalarResolver.resolve(text)
        switch short {
        case "str":
            return .string(text)
        case "int":
            if case .number(let v) = resolved, v.intValue != nil || { if case .uint = v { return true }; return false }() {
                return v
            }
        case "float":
            if case .number(let v) = resolved { return v }
        case "bool":
            if case .bool(let b) = resolved { return .bool(b) }
        case "null":
            if resolved == .null { return .null }
        case "timestamp":
            if case .timestamp(let ts) = resolved { return .string(ts) }
        case "binary":
            if let decoded = Base64.decode(text), let s = String(validating: decoded, as: UTF8.self) {
                return .string(s)
            }
            throw fail(.invalidYAML, "!!binary value is not base64 of UTF-8 text. Fix the encoding or drop the tag.", mark)
        case "map", "seq":
            break
        default:
            return .string(text)
        }
        throw fail(.invalidYAML, "cannot decode `\(text)` as !!\(short). Fix the value or remove the tag.", mark)
    }

    func resolvedPlain(_ text: String, mark: yaml_mark_t) throws(ModelError) -> Value {
        if options.yaml11Booleans, let b = ScalarResolver.yaml11Boolean(text) { return .bool(b) }
        switch ScalarResolver.resolve(text) {
        case .string: return .string(text)
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let v): return v
        case .timestamp(let s): return .string(s)
        case .nonFinite:
            throw fail(
                .unsupportedValue,
                "\(text) (infinity or NaN) cannot be represented in JSON, so not in a Kubernetes object. Quote it (\"\(text)\") to make it a string.",
                mark)
        }
    }

    mutating func addAlias(_ value: Value, nodes: Int, mark: yaml_mark_t) throws(ModelError) {
        if let top = stack.last, top.isMap, top.pendingKey == nil {
            guard let key = value.stringValue ?? stringifiedKey(value) else {
                throw fail(.invalidYAML, "an alias to \(value.typeDescription) is used as a mapping key. Use a string key.", mark)
            }
            if options.duplicateKeys == .refuse, stack[stack.count - 1].map.position(of: key) != nil {
                throw fail(.duplicateKey, "duplicate mapping key \"\(key)\". Remove one of the two entries.", mark)
            }
            stack[stack.count - 1].pendingKey = .string(key)
            stack[stack.count - 1].keyMark = mark
            return
        }
        try add(value, nodes: nodes, mark: mark, isScalar: true)
    }

    /// Adds a finished node to the frame on top of the stack, or makes it the
    /// document root.
    mutating func add(_ value: Value, nodes: Int, mark: yaml_mark_t, isScalar: Bool) throws(ModelError) {
        guard !stack.isEmpty else {
            root = (value, nodes)
            if options.recordPositions && isScalar { positions[""] = location(mark) }
            return
        }
        let top = stack.count - 1
        if options.recordPositions && isScalar {
            // Collections recorded their start when they began.
            pushPathSegment()
            positions[pointer] = location(mark)
            path.removeLast()
        }
        stack[top].nodes += nodes
        if stack[top].isMap {
            switch stack[top].pendingKey {
            case .string(let key)?:
                if options.duplicateKeys == .refuse {
                    stack[top].map.append(key: key, value: value)  // absence checked at the key
                } else {
                    stack[top].map[key] = value
                }
            case .merge?:
                stack[top].merges.append((value, mark))
            case nil:
                break  // keys are handled before add() is reached
            }
            stack[top].pendingKey = nil
        } else {
            stack[top].list.append(value)
        }
    }

    /// Applies `<<` merge keys: explicit keys win, then earlier merge sources.
    func applyMerges(_ frame: inout Frame) throws(ModelError) {
        for (source, mark) in frame.merges {
            let sources: [Value]
            switch source {
            case .map: sources = [source]
            case .list(let items): sources = items
            default: sources = [source]
            }
            for item in sources {
                guard case .map(let m) = item else {
                    throw fail(.invalidYAML, "the value of a merge key (<<) must be a map or a list of maps. Fix the merge.", mark)
                }
                for entry in m where frame.map.position(of: entry.key) == nil {
                    frame.map.append(key: entry.key, value: entry.value)
                }
            }
        }
    }
}
