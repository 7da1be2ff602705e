import Crypto
import Foundation
import Synchronization

/// Users, projects, memberships and API tokens, and the checks every request passes through.
public final class AccountService: Sendable {
    let store: any Store
    private let cache = TTLCache<Principal>(ttlMillis: 5_000)
    /// Sessions by the sha256 of their secret.
    let sessionCache = TTLCache<Principal>(ttlMillis: 5_000)
    /// Memberships by "user/project": the role, or nil for "not a member" (absent key: not looked up yet).
    private let memberships = TTLCache<Role?>(ttlMillis: 5_000)

    init(store: any Store) { self.store = store }

    /// On first start (no users yet) creates the server admin, a `default` project and a token for the admin,
    /// and returns that token's secret so it can be printed once; later starts return nil.
    public func bootstrap() async throws -> String? {
        try await store.write { tx in
            if tx.dialect == .postgres { try await tx.execute("SELECT pg_advisory_xact_lock(724243)", []) }
            guard try await tx.first("SELECT id FROM users LIMIT 1") == nil else { return nil }
            let now = Clock.nowMillis()
            let user = try await tx.first("INSERT INTO users (name, is_admin, created_at) VALUES ('admin', 1, ?) RETURNING id", now)!
            let userID = try user.int("id")
            let project = try await tx.first(
                "INSERT INTO projects (name, description, created_at) VALUES ('default', 'The first project', ?) RETURNING id", now)!
            try await tx.execute("INSERT INTO memberships (project_id, user_id, role) VALUES (?, ?, 'admin')",
                                 try project.int("id"), userID)
            return try await AccountService.insertToken(tx, userID: userID, name: "bootstrap", role: .admin).secret
        }
    }

    // MARK: Authentication

    /// Resolves a bearer token to its principal; throws `unauthorized` for unknown or revoked tokens.
    public func authenticate(secret: String) async throws -> Principal {
        let hash = AccountService.hash(secret)
        if let principal = cache.get(hash) { return principal }
        let row = try await store.read { tx in
            try await tx.first("""
                SELECT t.id AS token_id, t.role, t.revoked_at, u.id AS user_id, u.name, u.is_admin
                FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?
                """, hash)
        }
        guard let row, try row.optionalInt("revoked_at") == nil else {
            throw PlatformError(.unauthorized, code: "invalid_token", "the token is unknown or revoked")
        }
        let principal = Principal(userID: try row.int("user_id"), userName: try row.text("name"),
                                  isServerAdmin: try row.bool("is_admin"), tokenID: try row.int("token_id"),
                                  tokenRole: try Role.parse(row.text("role")))
        cache.put(hash, principal)
        let tokenID = principal.tokenID
        Task.detached { [store] in
            try? await store.write { tx in
                try await tx.execute("UPDATE tokens SET last_used_at = ? WHERE id = ?", Clock.nowMillis(), tokenID)
            }
        }
        return principal
    }

    /// The caller's effective role in a project: their membership capped by the token's role. Throws
    /// `notFound` when the project does not exist or the caller is not a member (the two look the same).
    public func role(of principal: Principal, in projectID: Int64) async throws -> Role {
        let key = "\(principal.userID)/\(projectID)"
        let membership: Role?
        if let cached = memberships.get(key) {
            membership = cached
        } else {
            let row = try await store.read { tx in
                try await tx.first("""
                    SELECT p.id, m.role FROM projects p
                    LEFT JOIN memberships m ON m.project_id = p.id AND m.user_id = ? WHERE p.id = ?
                    """, principal.userID, projectID)
            }
            guard let row else { throw PlatformError.notFound("project", projectID) }
            membership = try row.optionalText("role").map(Role.parse)
            memberships.put(key, membership)
        }
        if let membership { return min(membership, principal.tokenRole) }
        if principal.isServerAdmin { return principal.tokenRole }
        throw PlatformError.notFound("project", projectID)
    }

    /// Checks that the caller has at least `needed` in the project.
    public func require(_ principal: Principal, _ needed: Role, in projectID: Int64) async throws {
        let role = try await role(of: principal, in: projectID)
        guard role >= needed else {
            throw PlatformError(.forbidden, code: "forbidden",
                                "this needs the \(needed.rawValue) role in project \(projectID); you have \(role.rawValue)")
        }
    }

    /// Checks that the caller administers the server.
    public func requireServerAdmin(_ principal: Principal) throws {
        guard principal.isServerAdmin, principal.tokenRole == .admin else {
            throw PlatformError(.forbidden, code: "forbidden", "this needs a server administrator's admin token")
        }
    }

    // MARK: Users

    /// Creates a user (server admins only).
    public func createUser(_ principal: Principal, name: String, isAdmin: Bool) async throws -> User {
        try requireServerAdmin(principal)
        try validateName(name)
        return try await store.write { tx in
            guard try await tx.first("SELECT id FROM users WHERE name = ?", name) == nil else {
                throw PlatformError(.conflict, code: "user_exists", "a user named '\(name)' already exists")
            }
            let row = try await tx.first("INSERT INTO users (name, is_admin, created_at) VALUES (?, ?, ?) RETURNING *",
                                         name, isAdmin, Clock.nowMillis())!
            return try User(row: row)
        }
    }

    /// Lists users (server admins see all; others see themselves).
    public func listUsers(_ principal: Principal) async throws -> [User] {
        try await store.read { tx in
            let rows = principal.isServerAdmin
                ? try await tx.query("SELECT * FROM users ORDER BY id", [])
                : try await tx.query("SELECT * FROM users WHERE id = ?", principal.userID)
            return try rows.map(User.init(row:))
        }
    }

    // MARK: Tokens

    /// Creates a token for the caller, or (server admins) for another user; its role cannot exceed the caller's.
    public func createToken(_ principal: Principal, name: String, role: Role, userID: Int64? = nil) async throws -> CreatedToken {
        try validateName(name)
        let owner = userID ?? principal.userID
        if owner != principal.userID { try requireServerAdmin(principal) }
        guard role <= principal.tokenRole else {
            throw PlatformError(.forbidden, code: "forbidden", "a \(principal.tokenRole.rawValue) token cannot create a \(role.rawValue) token")
        }
        return try await store.write { tx in
            guard try await tx.first("SELECT id FROM users WHERE id = ?", owner) != nil else {
                throw PlatformError.notFound("user", owner)
            }
            return try await AccountService.insertToken(tx, userID: owner, name: name, role: role)
        }
    }

    /// Lists the caller's tokens (server admins: everyone's).
    public func listTokens(_ principal: Principal) async throws -> [TokenInfo] {
        try await store.read { tx in
            let rows = principal.isServerAdmin
                ? try await tx.query("SELECT * FROM tokens ORDER BY id", [])
                : try await tx.query("SELECT * FROM tokens WHERE user_id = ? ORDER BY id", principal.userID)
            return try rows.map(TokenInfo.init(row:))
        }
    }

    /// Revokes a token of the caller's (server admins: any token).
    public func revokeToken(_ principal: Principal, id: Int64) async throws -> TokenInfo {
        let token = try await store.write { tx in
            let found = try await tx.first("SELECT * FROM tokens WHERE id = ?", id)
            let owner = try found?.int("user_id")
            guard found != nil, principal.isServerAdmin || owner == principal.userID else {
                throw PlatformError.notFound("token", id)
            }
            let updated = try await tx.first("UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? RETURNING *",
                                             Clock.nowMillis(), id)!
            return try TokenInfo(row: updated)
        }
        cache.removeAll()
        sessionCache.removeAll()
        return token
    }

    static func insertToken(_ tx: any SQLExecutor, userID: Int64, name: String, role: Role) async throws -> CreatedToken {
        let secret = "kz_" + randomHex(bytes: 24)
        let row = try await tx.first("""
            INSERT INTO tokens (user_id, name, token_hash, prefix, role, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *
            """, userID, name, hash(secret), String(secret.prefix(9)), role.rawValue, Clock.nowMillis())!
        return CreatedToken(token: try TokenInfo(row: row), secret: secret)
    }

    /// `bytes` random bytes from the system's generator, as lower-case hex.
    static func randomHex(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Tokens are 192 random bits, so one sha256 (not a slow password hash) is enough to store them safely.
    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).hexString
    }

    // MARK: Projects

    /// Creates a project; the caller becomes its admin.
    public func createProject(_ principal: Principal, name: String, description: String) async throws -> Project {
        try validateName(name)
        guard principal.tokenRole >= .editor else {
            throw PlatformError(.forbidden, code: "forbidden", "a viewer token cannot create projects")
        }
        let project = try await store.write { tx in
            guard try await tx.first("SELECT id FROM projects WHERE name = ?", name) == nil else {
                throw PlatformError(.conflict, code: "project_exists", "a project named '\(name)' already exists")
            }
            let row = try await tx.first("INSERT INTO projects (name, description, created_at) VALUES (?, ?, ?) RETURNING *",
                                         name, description, Clock.nowMillis())!
            try await tx.execute("INSERT INTO memberships (project_id, user_id, role) VALUES (?, ?, 'admin')",
                                 try row.int("id"), principal.userID)
            return try Project(row: row, role: .admin)
        }
        memberships.removeAll()
        return project
    }

    /// The projects the caller belongs to (server admins: all).
    public func listProjects(_ principal: Principal) async throws -> [Project] {
        try await store.read { tx in
            let rows = try await tx.query("""
                SELECT p.*, m.role FROM projects p LEFT JOIN memberships m ON m.project_id = p.id AND m.user_id = ?
                WHERE m.user_id IS NOT NULL OR ? = 1 ORDER BY p.id
                """, principal.userID, principal.isServerAdmin)
            return try rows.map { row in
                let role = try row.optionalText("role").map(Role.parse) ?? .admin
                return try Project(row: row, role: min(role, principal.tokenRole))
            }
        }
    }

    /// One project the caller can see.
    public func project(_ principal: Principal, id: Int64) async throws -> Project {
        let role = try await role(of: principal, in: id)
        let row = try await store.read { tx in try await tx.first("SELECT * FROM projects WHERE id = ?", id) }
        guard let row else { throw PlatformError.notFound("project", id) }
        return try Project(row: row, role: role)
    }

    /// The members of a project.
    public func members(_ principal: Principal, projectID: Int64) async throws -> [Membership] {
        try await require(principal, .viewer, in: projectID)
        return try await store.read { tx in
            try await tx.query("""
                SELECT m.user_id, u.name, m.role FROM memberships m JOIN users u ON u.id = m.user_id
                WHERE m.project_id = ? ORDER BY u.name
                """, projectID).map {
                Membership(userID: try $0.int("user_id"), userName: try $0.text("name"), role: try Role.parse($0.text("role")))
            }
        }
    }

    /// Adds a member or changes a member's role (project admins).
    public func setMember(_ principal: Principal, projectID: Int64, userID: Int64, role: Role) async throws -> Membership {
        try await require(principal, .admin, in: projectID)
        let membership = try await store.write { tx in
            guard let user = try await tx.first("SELECT * FROM users WHERE id = ?", userID) else {
                throw PlatformError.notFound("user", userID)
            }
            try await tx.execute("""
                INSERT INTO memberships (project_id, user_id, role) VALUES (?, ?, ?)
                ON CONFLICT (project_id, user_id) DO UPDATE SET role = excluded.role
                """, projectID, userID, role.rawValue)
            return Membership(userID: userID, userName: try user.text("name"), role: role)
        }
        memberships.removeAll()
        return membership
    }

    /// Removes a member (project admins).
    public func removeMember(_ principal: Principal, projectID: Int64, userID: Int64) async throws {
        try await require(principal, .admin, in: projectID)
        try await store.write { tx in
            let removed = try await tx.query("DELETE FROM memberships WHERE project_id = ? AND user_id = ? RETURNING user_id",
                                             projectID, userID)
            guard !removed.isEmpty else { throw PlatformError.notFound("member", userID) }
        }
        memberships.removeAll()
    }
}

/// Values looked up recently (resolved tokens, memberships), so a request costs no database round trip for them.
/// Entries expire quickly, so that a change made through another process takes effect within seconds. A lock,
/// not an actor: a lookup is a few hundred nanoseconds and must not cost a hop between threads.
final class TTLCache<Value: Sendable>: Sendable {
    private let entries = Mutex<[String: (Value, Int64)]>([:])
    private let ttlMillis: Int64

    init(ttlMillis: Int64) { self.ttlMillis = ttlMillis }

    func get(_ key: String) -> Value? {
        let now = Clock.nowMillis()
        return entries.withLock { entries in
            guard let (value, expiry) = entries[key], expiry > now else { return nil }
            return value
        }
    }

    func put(_ key: String, _ value: Value) {
        let expiry = Clock.nowMillis() + ttlMillis
        entries.withLock { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[key] = (value, expiry)
        }
    }

    func removeAll() { entries.withLock { $0.removeAll() } }
}
