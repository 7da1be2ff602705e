/// A person or service that holds tokens.
public struct User: Sendable, Codable, Equatable {
    public var id: Int64
    public var name: String
    public var isAdmin: Bool
    public var createdAt: Int64

    init(row: SQLRow) throws {
        id = try row.int("id")
        name = try row.text("name")
        isAdmin = try row.bool("is_admin")
        createdAt = try row.int("created_at")
    }
}

/// A workspace: datasets, models and everything else belong to exactly one project.
public struct Project: Sendable, Codable, Equatable {
    public var id: Int64
    public var name: String
    public var description: String
    public var createdAt: Int64
    /// The caller's role in the project (filled when listing for a caller).
    public var role: Role?

    init(row: SQLRow, role: Role? = nil) throws {
        id = try row.int("id")
        name = try row.text("name")
        description = try row.text("description")
        createdAt = try row.int("created_at")
        self.role = role
    }
}

/// A user's role in a project.
public struct Membership: Sendable, Codable, Equatable {
    public var userID: Int64
    public var userName: String
    public var role: Role
}

/// A token as listed: never its secret, which is shown once at creation and stored only as a hash.
public struct TokenInfo: Sendable, Codable, Equatable {
    public var id: Int64
    public var userID: Int64
    public var name: String
    /// The first characters of the secret, to recognise it.
    public var prefix: String
    public var role: Role
    public var createdAt: Int64
    public var lastUsedAt: Int64?
    public var revokedAt: Int64?

    init(row: SQLRow) throws {
        id = try row.int("id")
        userID = try row.int("user_id")
        name = try row.text("name")
        prefix = try row.text("prefix")
        role = try Role.parse(row.text("role"))
        createdAt = try row.int("created_at")
        lastUsedAt = try row.optionalInt("last_used_at")
        revokedAt = try row.optionalInt("revoked_at")
    }
}

/// A console session: signed in with a token, identified by its own secret (kept in the browser's cookie), ending
/// at `expiresAt`, when it is revoked, or when its token is.
public struct SessionInfo: Sendable, Codable, Equatable {
    public var id: Int64
    /// The token it was signed in with (its user and role).
    public var tokenID: Int64
    /// The first characters of the session's secret, to recognise it.
    public var prefix: String
    /// The browser that signed in.
    public var userAgent: String
    public var createdAt: Int64
    public var expiresAt: Int64
    public var lastSeenAt: Int64
    public var revokedAt: Int64?

    init(row: SQLRow) throws {
        id = try row.int("id")
        tokenID = try row.int("token_id")
        prefix = try row.text("prefix")
        userAgent = try row.text("user_agent")
        createdAt = try row.int("created_at")
        expiresAt = try row.int("expires_at")
        lastSeenAt = try row.int("last_seen_at")
        revokedAt = try row.optionalInt("revoked_at")
    }
}

/// A new session and its secret (shown only in the cookie that carries it).
public struct StartedSession: Sendable, Equatable {
    public var session: SessionInfo
    public var secret: String
}

/// A new token: its secret appears here and nowhere else.
public struct CreatedToken: Sendable, Codable, Equatable {
    public var token: TokenInfo
    /// The secret to send as `Authorization: Bearer …`.
    public var secret: String
}
