/// What a member may do in a project: viewers read, editors also write, admins also manage members.
public enum Role: String, Sendable, Codable, Comparable, CaseIterable {
    case viewer, editor, admin

    private var rank: Int {
        switch self {
        case .viewer: return 0
        case .editor: return 1
        case .admin: return 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }

    /// Parses a role name, with a precise error.
    public static func parse(_ text: String) throws -> Role {
        guard let role = Role(rawValue: text) else {
            throw PlatformError.invalid("role", "'\(text)' is not one of viewer, editor, admin")
        }
        return role
    }
}

/// The caller of a request, as established by its token.
public struct Principal: Sendable, Codable, Equatable {
    /// The user's id.
    public var userID: Int64
    /// The user's name.
    public var userName: String
    /// Whether the user administers the whole server (all projects, users).
    public var isServerAdmin: Bool
    /// The token's id.
    public var tokenID: Int64
    /// The most the token allows, whatever the user's memberships say.
    public var tokenRole: Role

    /// Creates a principal.
    public init(userID: Int64, userName: String, isServerAdmin: Bool, tokenID: Int64, tokenRole: Role) {
        self.userID = userID
        self.userName = userName
        self.isServerAdmin = isServerAdmin
        self.tokenID = tokenID
        self.tokenRole = tokenRole
    }
}
