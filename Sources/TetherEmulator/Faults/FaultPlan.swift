package import TetherModel

/// The failures the emulator injects into resource requests, for
/// reliability tests. The default plan injects nothing.
///
/// Set at start (`EmulatorOptions.faults`, `tether emulator --fault-...`)
/// or at run time through `PUT /_emulator/faults` with the JSON form:
///
/// ```json
/// {"latency": "50ms", "errorRate": {"patch": 0.5, "*": 0.1}, "errorCode": 500,
///  "throttleRate": 0.2, "retryAfterSeconds": 1,
///  "failNext": {"count": 3, "code": 503, "verbs": ["create"]},
///  "watchDropAfter": "2s", "seed": 42}
/// ```
package struct FaultPlan: Sendable, Equatable {
    /// Failing the next requests, whatever the rates say.
    package struct FailNext: Sendable, Equatable {
        /// How many requests still fail.
        package var count: Int
        /// The HTTP status they fail with.
        package var code: Int
        /// Only requests with these verbs count; empty means every verb.
        package var verbs: Set<String>
        package init(count: Int, code: Int = 500, verbs: Set<String> = []) {
            self.count = count
            self.code = code
            self.verbs = verbs
        }
    }

    /// Added before every resource request is handled.
    package var latency: Duration = .zero
    /// The chance, 0...1, that a request with this verb fails with
    /// `errorCode`; the key `*` applies to verbs not listed.
    package var errorRate: [String: Double] = [:]
    package var errorCode: Int = 500
    /// The chance, 0...1, that a request is refused with 429 TooManyRequests.
    package var throttleRate: Double = 0
    /// The `Retry-After` of injected 429s (and of `failNext` 429s and 503s).
    package var retryAfterSeconds: Int = 1
    package var failNext: FailNext?
    /// Ends every watch this long after it started, as a load balancer or
    /// an API server restart would.
    package var watchDropAfter: Duration?
    /// Seeds the random choices, so a run can be repeated.
    package var seed: UInt64 = 1

    package init() {}

    // MARK: JSON

    /// Reads the JSON form.
    ///
    /// - Throws: `EmulatorError` `.badRequest` naming the field that is wrong.
    package init(json: Value) throws(EmulatorError) {
        guard let map = json.mapValue else { throw .badRequest("the fault plan must be a JSON object") }
        let known: Set<String> = ["latency", "errorRate", "errorCode", "throttleRate", "retryAfterSeconds",
                                  "failNext", "watchDropAfter", "seed"]
        if let unknown = map.keys.first(where: { !known.contains($0) }) {
            throw .badRequest("fault plan: unknown field \"\(unknown)\"; known: \(known.sorted().joined(separator: ", "))")
        }
        if let text = map["latency"] { latency = try Self.duration(text, "latency") }
        if let text = map["watchDropAfter"], !text.isNull { watchDropAfter = try Self.duration(text, "watchDropAfter") }
        for entry in map["errorRate"]?.mapValue ?? OrderedMap() {
            errorRate[entry.key] = try Self.rate(entry.value, "errorRate.\(entry.key)")
        }
        if let v = map["errorCode"] { errorCode = try Self.code(v, "errorCode") }
        if let v = map["throttleRate"] { throttleRate = try Self.rate(v, "throttleRate") }
        if let v = map["retryAfterSeconds"] {
            guard let n = v.intValue, n >= 0 else { throw .badRequest("fault plan: retryAfterSeconds must be a whole number >= 0") }
            retryAfterSeconds = n
        }
        if let v = map["seed"] {
            guard let n = v.intValue else { throw .badRequest("fault plan: seed must be a whole number") }
            seed = UInt64(bitPattern: Int64(n))
        }
        if let v = map["failNext"], !v.isNull {
            guard let count = v["count"]?.intValue, count >= 0 else {
                throw .badRequest("fault plan: failNext.count must be a whole number >= 0")
            }
            let code = try v["code"].map { value throws(EmulatorError) in try Self.code(value, "failNext.code") } ?? 500
            let verbs = Set((v["verbs"]?.listValue ?? []).compactMap(\.stringValue))
            failNext = FailNext(count: count, code: code, verbs: verbs)
        }
    }

    /// The JSON form, as `GET /_emulator/faults` serves it.
    package var json: Value {
        var map = OrderedMap()
        map["latency"] = .string(Self.text(latency))
        var rates = OrderedMap()
        for (verb, rate) in errorRate.sorted(by: { $0.key < $1.key }) { rates[verb] = .float(rate) }
        map["errorRate"] = .map(rates)
        map["errorCode"] = .int(errorCode)
        map["throttleRate"] = .float(throttleRate)
        map["retryAfterSeconds"] = .int(retryAfterSeconds)
        if let failNext {
            map["failNext"] = ["count": .int(failNext.count), "code": .int(failNext.code),
                               "verbs": .list(failNext.verbs.sorted().map { .string($0) })]
        } else {
            map["failNext"] = Value.null
        }
        map["watchDropAfter"] = watchDropAfter.map { .string(Self.text($0)) } ?? Value.null
        map["seed"] = .int(Int(Int64(bitPattern: seed)))
        return .map(map)
    }

    private static func duration(_ value: Value, _ field: String) throws(EmulatorError) -> Duration {
        if let ms = value.intValue, ms >= 0 { return .milliseconds(ms) }
        guard let text = value.stringValue, let duration = EmulatorOptions.duration(text) else {
            throw .badRequest("fault plan: \(field) must be a duration such as \"250ms\" or \"2s\"")
        }
        return duration
    }

    private static func rate(_ value: Value, _ field: String) throws(EmulatorError) -> Double {
        let number: Double? = switch value {
        case .int(let i): Double(i)
        case .float(let d): d
        default: nil
        }
        guard let number, (0...1).contains(number) else {
            throw .badRequest("fault plan: \(field) must be a number from 0 to 1")
        }
        return number
    }

    private static func code(_ value: Value, _ field: String) throws(EmulatorError) -> Int {
        guard let code = value.intValue, (400...599).contains(code) else {
            throw .badRequest("fault plan: \(field) must be an HTTP error status from 400 to 599")
        }
        return code
    }

    static func text(_ duration: Duration) -> String {
        let ms = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return "\(ms)ms"
    }
}
