/// The SQL dialect a store speaks; statements are written in the common subset with `?` placeholders, and the
/// few places that differ (auto-increment keys, row locks) ask the dialect.
public enum SQLDialect: String, Sendable {
    case sqlite
    case postgres

    /// The column definition of an auto-incrementing 64-bit primary key.
    public var autoIncrementKey: String {
        switch self {
        case .sqlite: return "INTEGER PRIMARY KEY AUTOINCREMENT"
        case .postgres: return "BIGSERIAL PRIMARY KEY"
        }
    }

    /// The suffix that locks selected rows until the transaction ends (SQLite's writer lock already does).
    public var forUpdate: String {
        switch self {
        case .sqlite: return ""
        case .postgres: return " FOR UPDATE"
        }
    }
}

/// Runs statements inside one read snapshot or one write transaction.
public protocol SQLExecutor: Sendable {
    /// The dialect of the underlying database.
    var dialect: SQLDialect { get }
    /// Runs a statement and returns its rows (use `RETURNING` to read back inserted keys).
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
    /// Runs a statement for its effect.
    func execute(_ sql: String, _ binds: [SQLValue]) async throws
}

extension SQLExecutor {
    /// Runs a statement with bindable arguments and returns its rows.
    public func query(_ sql: String, _ binds: any SQLBindable...) async throws -> [SQLRow] {
        try await query(sql, binds.map(\.sqlValue))
    }

    /// Runs a statement with bindable arguments for its effect.
    public func execute(_ sql: String, _ binds: any SQLBindable...) async throws {
        try await execute(sql, binds.map(\.sqlValue))
    }

    /// The first row of a query, or nil.
    public func first(_ sql: String, _ binds: any SQLBindable...) async throws -> SQLRow? {
        try await query(sql, binds.map(\.sqlValue)).first
    }
}

/// The platform's database: SQLite embedded in the process by default, PostgreSQL when several processes share it.
///
/// Domain services call ``read(_:)`` for queries and ``write(_:)`` for changes; a write body runs inside one
/// transaction that commits when the body returns and rolls back when it throws.
public protocol Store: Sendable {
    /// The dialect statements must be written in.
    var dialect: SQLDialect { get }
    /// Runs read-only statements.
    func read<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T
    /// Runs statements in one transaction.
    func write<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T
    /// Whether the database answers (for `/readyz`).
    func ping() async -> Bool
    /// Releases connections.
    func close() async
}

/// Runs `body` between `begin` and COMMIT on one executor, rolling back when it throws.
///
/// BEGIN, COMMIT and ROLLBACK run in tasks of their own, outside the caller's cancellation: a cancelled caller
/// (a worker stopped mid-write) still ends its transaction, instead of leaving the connection inside one.
func inTransaction<T: Sendable>(_ executor: any SQLExecutor, begin: String,
                                _ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
    try await runUncancelled(begin, on: executor)
    do {
        let value = try await body(executor)
        try await runUncancelled("COMMIT", on: executor)
        return value
    } catch {
        try? await runUncancelled("ROLLBACK", on: executor)
        throw error
    }
}

private func runUncancelled(_ statement: String, on executor: any SQLExecutor) async throws {
    try await Task { try await executor.execute(statement, []) }.value
}

/// Opens the store a database URL names: `sqlite:PATH` (or a plain path) or `postgres://user:pass@host:port/db`.
public func openStore(url: String, logger: Logger) async throws -> any Store {
    if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
        return try await PostgresStore(url: url, logger: logger)
    }
    let path = url.hasPrefix("sqlite:") ? String(url.dropFirst("sqlite:".count)) : url
    return try SQLiteStore(path: path)
}

import Logging
