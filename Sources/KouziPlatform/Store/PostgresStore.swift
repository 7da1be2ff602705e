import Foundation
import Logging
import PostgresNIO

/// The shared store: a PostgreSQL database reached through a connection pool, so that several `kouzi serve`
/// and `kouzi worker` processes can work on the same platform.
public final class PostgresStore: Store {
    public let dialect = SQLDialect.postgres
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger

    /// Connects to `postgres://user[:password]@host[:port]/database` (`?sslmode=disable|prefer|require`).
    public init(url: String, logger: Logger) async throws {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            throw StoreError.badURL("expected postgres://user:password@host:port/database, got '\(url)'")
        }
        let user = components.user ?? "postgres"
        let database = components.path.split(separator: "/").first.map(String.init) ?? user
        let sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case "disable": tls = .disable
        case "prefer": tls = .prefer(.makeClientConfiguration())
        case "require": tls = .require(.makeClientConfiguration())
        default: throw StoreError.badURL("sslmode must be disable, prefer or require, got '\(sslMode)'")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user,
            password: components.password?.removingPercentEncoding, database: database, tls: tls)
        configuration.options.maximumConnections = 16
        configuration.options.connectTimeout = .seconds(5)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        self.runner = Task { await client.run() }
        // The pool must be running before the first lease; give its task a moment to start (there is no
        // public signal for it; leasing earlier works but logs a warning).
        try? await Task.sleep(for: .milliseconds(50))
        do {
            _ = try await client.query("SELECT 1", logger: logger).collect()
        } catch {
            runner.cancel()
            throw StoreError.unavailable("cannot reach PostgreSQL at \(host):\(components.port ?? 5432)/\(database): \(String(reflecting: error))")
        }
    }

    public func read<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await body(PostgresExecutor(connection: connection, logger: logger))
        }
    }

    public func write<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await inTransaction(PostgresExecutor(connection: connection, logger: logger), begin: "BEGIN", body)
        }
    }

    public func ping() async -> Bool {
        (try? await client.query("SELECT 1", logger: logger).collect()) != nil
    }

    public func close() async {
        runner.cancel()
    }
}

struct PostgresExecutor: SQLExecutor {
    let connection: PostgresConnection
    let logger: Logger
    var dialect: SQLDialect { .postgres }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let query = PostgresExecutor.makeQuery(sql, binds)
        do {
            let rows = try await connection.query(query, logger: logger)
            var result: [SQLRow] = []
            for try await row in rows {
                var values: [String: SQLValue] = [:]
                for cell in row { values[cell.columnName] = try PostgresExecutor.convert(cell) }
                result.append(SQLRow(values))
            }
            return result
        } catch let error as PSQLError {
            throw PostgresExecutor.map(error, sql: sql)
        }
    }

    func execute(_ sql: String, _ binds: [SQLValue]) async throws {
        _ = try await query(sql, binds)
    }

    /// Rewrites `?` placeholders as `$1, $2, …` and binds the values.
    static func makeQuery(_ sql: String, _ binds: [SQLValue]) -> PostgresQuery {
        var text = ""
        text.reserveCapacity(sql.utf8.count + 8)
        var index = 0
        var inString = false
        for character in sql {
            if character == "'" { inString.toggle() }
            if character == "?" && !inString {
                index += 1
                text += "$\(index)"
            } else {
                text.append(character)
            }
        }
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds {
            switch value {
            case .null: bindings.appendNull()
            case let .int(v): bindings.append(v)
            case let .double(v): bindings.append(v)
            case let .text(v): bindings.append(v)
            }
        }
        return PostgresQuery(unsafeSQL: text, binds: bindings)
    }

    static func convert(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid: return .int(try cell.decode(Int64.self))
        case .float4, .float8: return .double(try cell.decode(Double.self))
        case .bool: return .int(try cell.decode(Bool.self) ? 1 : 0)
        case .numeric:
            let text = try cell.decode(String.self)
            if let i = Int64(text) { return .int(i) }
            return .double(Double(text) ?? .nan)
        default: return .text(try cell.decode(String.self))
        }
    }

    static func map(_ error: PSQLError, sql: String) -> StoreError {
        let state = error.serverInfo?[.sqlState]
        let message = error.serverInfo?[.message] ?? String(reflecting: error)
        if state == "23505" || state == "23503" { return .conflict(message) }
        if error.serverInfo == nil { return .unavailable(String(reflecting: error)) }
        return .statement("\(message) (SQLSTATE \(state ?? "?")) in \(sql.prefix(120))")
    }
}
