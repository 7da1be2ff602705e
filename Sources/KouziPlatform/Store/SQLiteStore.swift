import Foundation
import GRDB

/// The embedded store: one SQLite file in WAL mode, read by a pool of connections and written by one.
public final class SQLiteStore: Store {
    public let dialect = SQLDialect.sqlite
    private let pool: DatabasePool
    private let writeLock = AsyncLock()

    /// Opens (creating if needed) the database file at `path`.
    public init(path: String) throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.allowsUnsafeTransactions = true   // a write transaction spans several async statements
        config.maximumReaderCount = 4
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw StoreError.unavailable("cannot open SQLite database at \(path): \(error)")
        }
    }

    public func read<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await body(SQLiteExecutor(pool: pool, writer: false))
    }

    public func write<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await writeLock.withLock { [pool] in
            try await inTransaction(SQLiteExecutor(pool: pool, writer: true), begin: "BEGIN IMMEDIATE", body)
        }
    }

    public func ping() async -> Bool {
        (try? await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }

    public func close() async {
        try? pool.close()
    }

    /// Runs SQLite's own consistency check (`PRAGMA integrity_check`); returns its findings, empty when sound.
    public func integrityCheck() async throws -> [String] {
        let lines = try await pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        return lines == ["ok"] ? [] : lines
    }
}

/// Statements on the pool: on the writer connection inside a write transaction, on a reader otherwise.
struct SQLiteExecutor: SQLExecutor {
    let pool: DatabasePool
    let writer: Bool
    var dialect: SQLDialect { .sqlite }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let arguments = StatementArguments(binds.map(\.databaseValue))
        let work: @Sendable (Database) throws -> [SQLRow] = { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(SQLiteExecutor.convert)
        }
        do {
            // Reads run right here: a SQLite read takes microseconds, less than a hop to GRDB's queue and back.
            // Writes go through GRDB's writer queue (a commit may wait for fsync).
            return writer ? try await pool.writeWithoutTransaction(work) : try SQLiteExecutor.readNow(pool, work)
        } catch let error as DatabaseError {
            throw SQLiteExecutor.map(error, sql: sql)
        }
    }

    func execute(_ sql: String, _ binds: [SQLValue]) async throws {
        let arguments = StatementArguments(binds.map(\.databaseValue))
        do {
            try await pool.writeWithoutTransaction { db in try db.execute(sql: sql, arguments: arguments) }
        } catch let error as DatabaseError {
            throw SQLiteExecutor.map(error, sql: sql)
        }
    }

    /// A synchronous read on a reader connection (a non-async function, so GRDB's blocking overload is used).
    static func readNow(_ pool: DatabasePool, _ work: (Database) throws -> [SQLRow]) throws -> [SQLRow] {
        try pool.read(work)
    }

    static func convert(_ row: Row) -> SQLRow {
        var values: [String: SQLValue] = [:]
        values.reserveCapacity(row.count)
        for (name, value) in row {
            switch value.storage {
            case .null: values[name] = .null
            case let .int64(v): values[name] = .int(v)
            case let .double(v): values[name] = .double(v)
            case let .string(v): values[name] = .text(v)
            case let .blob(v): values[name] = .text(String(decoding: v, as: UTF8.self))
            }
        }
        return SQLRow(values)
    }

    static func map(_ error: DatabaseError, sql: String) -> StoreError {
        if error.resultCode == .SQLITE_CONSTRAINT {
            return .conflict(error.message ?? "constraint violated")
        }
        if error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            return .unavailable("database is locked: \(error.message ?? "")")
        }
        return .statement("\(error.message ?? "\(error)") in \(sql.prefix(120))")
    }
}

extension SQLValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case let .int(v): return v.databaseValue
        case let .double(v): return v.databaseValue
        case let .text(v): return v.databaseValue
        }
    }
}
