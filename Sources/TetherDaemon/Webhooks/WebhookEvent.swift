import TetherModel

/// What an authenticated webhook says happened.
package struct WebhookEvent: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        /// A push; `ref` is the full ref (`refs/heads/main`) when the payload names one.
        case push(ref: String?, revision: String?, defaultBranch: String?)
        /// GitHub's `ping` when a hook is created: answered, triggers nothing.
        case ping
        /// Any other event (issues, merge requests, …): answered, triggers nothing.
        case other(String)
    }

    package var kind: Kind

    /// Why a payload could not be read.
    package struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        package var description: String
    }

    /// Reads the event from an authenticated request.
    /// - Parameters:
    ///   - request: headers (event type) and JSON body.
    ///   - provider: which sender's format applies.
    /// - Returns: the event.
    /// - Throws: `ParseError` when a push payload is not a JSON object or its `ref` is not
    ///   a string. An empty body is allowed for the generic endpoint (sync whatever is new).
    package static func parse(_ request: WebhookRequest, provider: WebhookProvider) throws(ParseError) -> WebhookEvent {
        switch provider {
        case .github:
            let name = request[header: "x-github-event"] ?? ""
            switch name {
            case "ping": return WebhookEvent(kind: .ping)
            case "push": return WebhookEvent(kind: try push(request.body, defaultBranchPath: ["repository", "default_branch"],
                                                           revisionKeys: ["after"]))
            default: return WebhookEvent(kind: .other(name.isEmpty ? "unnamed" : name))
            }
        case .gitlab:
            let name = request[header: "x-gitlab-event"] ?? ""
            switch name {
            case "Push Hook", "Tag Push Hook":
                return WebhookEvent(kind: try push(request.body, defaultBranchPath: ["project", "default_branch"],
                                                   revisionKeys: ["checkout_sha", "after"]))
            default: return WebhookEvent(kind: .other(name.isEmpty ? "unnamed" : name))
            }
        case .generic:
            if request.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
                return WebhookEvent(kind: .push(ref: nil, revision: nil, defaultBranch: nil))
            }
            return WebhookEvent(kind: try push(request.body, defaultBranchPath: [], revisionKeys: ["revision", "after"]))
        }
    }

    private static func push(_ body: [UInt8], defaultBranchPath: [String], revisionKeys: [String]) throws(ParseError) -> Kind {
        let value: Value
        do {
            value = try JSONParsing().value(from: body)
        } catch {
            throw ParseError(description: "the payload is not valid JSON: \(error)")
        }
        guard value.mapValue != nil else { throw ParseError(description: "the payload is not a JSON object") }
        var ref: String?
        if let raw = value["ref"] {
            guard let text = raw.stringValue else { throw ParseError(description: "the payload's ref is not a string") }
            ref = text
        }
        let revision = revisionKeys.lazy.compactMap { value[$0]?.stringValue }.first
        let defaultBranch = defaultBranchPath.isEmpty ? nil : value[path: defaultBranchPath]?.stringValue
        return .push(ref: ref, revision: revision, defaultBranch: defaultBranch)
    }
}
