import KouziBase
/// One step of the schema's history. Steps are applied in order, once, inside one transaction each.
public struct Migration: Sendable {
    /// The step's number; steps apply in increasing order.
    public let version: Int
    /// What the step does.
    public let name: String
    /// The statements, written for a dialect.
    public let statements: @Sendable (SQLDialect) -> [String]

    /// Creates a migration step.
    public init(version: Int, name: String, statements: @escaping @Sendable (SQLDialect) -> [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}

/// Applies the platform's migrations; safe when several processes start at once (PostgreSQL takes an advisory
/// lock, SQLite its writer lock) and a no-op when the schema is current.
public enum Migrator {
    /// Applies the pending steps of `migrations`; returns the versions it applied.
    @discardableResult
    public static func migrate(_ store: any Store, migrations: [Migration] = Schema.migrations) async throws -> [Int] {
        try await store.write { tx in
            if tx.dialect == .postgres {
                try await tx.execute("SELECT pg_advisory_xact_lock(724242)", [])
            }
            try await tx.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                """, [])
            let applied = Set(try await tx.query("SELECT version FROM schema_migrations", []).map { try $0.int("version") })
            var done: [Int] = []
            for migration in migrations.sorted(by: { $0.version < $1.version }) where !applied.contains(Int64(migration.version)) {
                for statement in migration.statements(tx.dialect) {
                    try await tx.execute(statement, [])
                }
                try await tx.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                                     migration.version, migration.name, Clock.nowMillis())
                done.append(migration.version)
            }
            return done
        }
    }
}

/// Wall-clock time in milliseconds since 1970, the platform's timestamp unit.
public enum Clock {
    /// Now, in milliseconds since 1970.
    public static func nowMillis() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}

