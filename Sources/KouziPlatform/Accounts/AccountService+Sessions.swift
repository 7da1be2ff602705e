import Foundation

extension AccountService {
    /// How long a console session lasts.
    public static let sessionLifetimeMillis: Int64 = 12 * 3_600_000

    /// Signs in with a token: a new session of the token's user and role, with a secret of its own (`ks_` and 256
    /// random bits) for the browser's cookie. Expired sessions are removed on the way.
    public func startSession(token secret: String, userAgent: String) async throws -> StartedSession {
        let principal = try await authenticate(secret: secret)
        let sessionSecret = "ks_" + Self.randomHex(bytes: 32)
        let now = Clock.nowMillis()
        let row = try await store.write { tx in
            try await tx.execute("DELETE FROM sessions WHERE expires_at < ?", now)
            return try await tx.first("""
                INSERT INTO sessions (token_id, secret_hash, prefix, user_agent, created_at, expires_at, last_seen_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *
                """, principal.tokenID, Self.hash(sessionSecret), String(sessionSecret.prefix(9)), String(userAgent.prefix(200)),
                now, now + Self.sessionLifetimeMillis, now)!
        }
        return StartedSession(session: try SessionInfo(row: row), secret: sessionSecret)
    }

    /// Resolves a session's secret to its principal; `unauthorized` when it is unknown, expired or revoked, or its
    /// token is revoked.
    public func authenticate(session secret: String) async throws -> Principal {
        let hash = Self.hash(secret)
        if let principal = sessionCache.get(hash) { return principal }
        let now = Clock.nowMillis()
        let row = try await store.read { tx in
            try await tx.first("""
                SELECT s.id AS session_id, s.expires_at, s.revoked_at AS session_revoked_at, t.id AS token_id, t.role,
                    t.revoked_at, u.id AS user_id, u.name, u.is_admin
                FROM sessions s JOIN tokens t ON t.id = s.token_id JOIN users u ON u.id = t.user_id WHERE s.secret_hash = ?
                """, hash)
        }
        guard let row, try row.optionalInt("session_revoked_at") == nil, try row.optionalInt("revoked_at") == nil,
              try row.int("expires_at") > now else {
            throw PlatformError(.unauthorized, code: "invalid_session", "the session is unknown, expired or revoked: sign in again")
        }
        let principal = Principal(userID: try row.int("user_id"), userName: try row.text("name"),
                                  isServerAdmin: try row.bool("is_admin"), tokenID: try row.int("token_id"),
                                  tokenRole: try Role.parse(row.text("role")))
        sessionCache.put(hash, principal)
        let sessionID = try row.int("session_id")
        Task.detached { [store] in
            try? await store.write { tx in try await tx.execute("UPDATE sessions SET last_seen_at = ? WHERE id = ?", now, sessionID) }
        }
        return principal
    }

    /// The caller's sessions that have not expired (server admins: everyone's), newest first.
    public func listSessions(_ principal: Principal) async throws -> [SessionInfo] {
        let now = Clock.nowMillis()
        return try await store.read { tx in
            try await tx.query("""
                SELECT s.* FROM sessions s JOIN tokens t ON t.id = s.token_id
                WHERE s.expires_at > ? AND (? = 1 OR t.user_id = ?) ORDER BY s.id DESC
                """, now, principal.isServerAdmin ? 1 : 0, principal.userID).map(SessionInfo.init(row:))
        }
    }

    /// Revokes a session of the caller's (server admins: any); it stops working at once.
    public func revokeSession(_ principal: Principal, id: Int64) async throws -> SessionInfo {
        let session = try await store.write { tx in
            let found = try await tx.first("""
                SELECT s.id, t.user_id FROM sessions s JOIN tokens t ON t.id = s.token_id WHERE s.id = ?
                """, id)
            let owner = try found?.int("user_id")
            guard found != nil, principal.isServerAdmin || owner == principal.userID else {
                throw PlatformError.notFound("session", id)
            }
            let updated = try await tx.first("UPDATE sessions SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? RETURNING *",
                                             Clock.nowMillis(), id)!
            return try SessionInfo(row: updated)
        }
        sessionCache.removeAll()
        return session
    }

    /// Ends the session with this secret (signing out); unknown secrets are ignored.
    public func endSession(secret: String) async throws {
        let hash = Self.hash(secret)
        try await store.write { tx in
            try await tx.execute("UPDATE sessions SET revoked_at = COALESCE(revoked_at, ?) WHERE secret_hash = ?", Clock.nowMillis(), hash)
        }
        sessionCache.removeAll()
    }
}
