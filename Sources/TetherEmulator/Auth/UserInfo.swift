/// Who made a request, as the API server's authenticators report it.
package struct UserInfo: Sendable, Hashable {
    package var name: String
    package var uid: String
    package var groups: [String]

    package init(name: String, uid: String = "", groups: [String] = []) {
        self.name = name
        self.uid = uid
        self.groups = groups
    }

    /// The user of requests when authentication is off.
    package static let anonymous = UserInfo(name: "system:anonymous", groups: ["system:unauthenticated"])
}
