/// Decides, request by request, which failure of the `FaultPlan` to inject.
package actor FaultInjector {
    /// What to do with one request.
    struct Decision {
        var latency: Duration
        var failure: EmulatorError?
    }

    package private(set) var plan: FaultPlan
    private var random: SplitMix64

    package init(plan: FaultPlan = FaultPlan()) {
        self.plan = plan
        random = SplitMix64(seed: plan.seed)
    }

    /// Replaces the plan (and restarts its random sequence from its seed).
    package func set(_ plan: FaultPlan) {
        self.plan = plan
        random = SplitMix64(seed: plan.seed)
    }

    /// The failure, if any, for the next request with `verb`; counts it
    /// against `failNext`.
    func decide(verb: String) -> Decision {
        var decision = Decision(latency: plan.latency)
        if var next = plan.failNext, next.count > 0, next.verbs.isEmpty || next.verbs.contains(verb) {
            next.count -= 1
            plan.failNext = next.count > 0 ? next : nil
            decision.failure = failure(code: next.code)
            return decision
        }
        if plan.throttleRate > 0, random.unit() < plan.throttleRate {
            decision.failure = failure(code: 429)
            return decision
        }
        if let rate = plan.errorRate[verb] ?? plan.errorRate["*"], rate > 0, random.unit() < rate {
            decision.failure = failure(code: plan.errorCode)
        }
        return decision
    }

    private func failure(code: Int) -> EmulatorError {
        let errorCode = EmulatorError.Code(httpStatus: code)
        var error: EmulatorError
        switch errorCode {
        case .tooManyRequests:
            error = EmulatorError(errorCode, "Too many requests, please try again later.")
        case .serviceUnavailable:
            error = EmulatorError(errorCode, "the server is currently unable to handle the request (injected fault)")
        default:
            error = EmulatorError(errorCode, "an error injected by the emulator's fault plan")
        }
        if errorCode == .tooManyRequests || errorCode == .serviceUnavailable {
            error.retryAfterSeconds = plan.retryAfterSeconds
        }
        error.httpStatusOverride = code == errorCode.httpStatus ? nil : code
        return error
    }
}

/// A small seeded generator, so a fault plan with a seed repeats exactly.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<1.
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
