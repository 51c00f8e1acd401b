import TetherModel

extension EmulatorResponder {
    /// The answer to a create of a review kind, which the API server computes
    /// and never stores (pkg/registry/authentication/*, pkg/registry/authorization/*).
    ///
    /// The emulator authorises every authenticated request, so access reviews
    /// answer allowed; identity reviews answer the requesting user, and a
    /// TokenReview looks the token up in the token file.
    /// - Throws: `EmulatorError.badRequest` when the body is not an object of the kind.
    func review(_ type: ResourceType, body: Value, user: UserInfo) async throws(EmulatorError) -> Value {
        guard case .map(var object) = body, body["kind"]?.stringValue == type.kind else {
            throw .badRequest("the body of the request must be a \(type.kind) of \(type.apiVersion)")
        }
        var metadata = object["metadata"]?.mapValue ?? OrderedMap()
        metadata["creationTimestamp"] = .null
        object["metadata"] = .map(metadata)
        switch type.kind {
        case "SelfSubjectReview":
            object["status"] = ["userInfo": Self.userInfo(user)]
        case "TokenReview":
            let token = body[path: ["spec", "token"]]?.stringValue ?? ""
            if let found = authenticator.tokens?.users[token] {
                object["status"] = ["authenticated": true, "user": Self.userInfo(found), "audiences": body[path: ["spec", "audiences"]] ?? .list([])]
            } else {
                object["status"] = ["authenticated": false, "error": "invalid bearer token"]
            }
        case "SelfSubjectRulesReview":
            object["status"] = [
                "resourceRules": [["verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]]],
                "nonResourceRules": [["verbs": ["*"], "nonResourceURLs": ["*"]]],
                "incomplete": false,
            ]
        default:  // SelfSubjectAccessReview, SubjectAccessReview, LocalSubjectAccessReview
            object["status"] = ["allowed": true, "reason": "the emulator authorizes every authenticated request"]
        }
        return .map(object)
    }

    private static func userInfo(_ user: UserInfo) -> Value {
        var info = OrderedMap()
        info["username"] = .string(user.name)
        if !user.uid.isEmpty { info["uid"] = .string(user.uid) }
        info["groups"] = .list((user.groups + (user == .anonymous ? [] : ["system:authenticated"])).map(Value.string))
        return .map(info)
    }
}
