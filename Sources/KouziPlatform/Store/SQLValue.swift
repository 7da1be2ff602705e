import Foundation

/// A value bound into or read out of a SQL statement, portable between SQLite and PostgreSQL.
///
/// The platform stores only these four kinds: integers (ids, counts, millisecond timestamps, booleans as 0/1),
/// doubles, text (names, JSON documents) and NULL. Binary content lives in the artifact store, never in a row.
public enum SQLValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case int(Int64)
    case double(Double)
    case text(String)

    public var description: String {
        switch self {
        case .null: return "NULL"
        case let .int(v): return String(v)
        case let .double(v): return String(v)
        case let .text(v): return "'\(v)'"
        }
    }
}

/// Values that convert to a ``SQLValue`` when bound into a statement.
public protocol SQLBindable: Sendable {
    /// The value to bind.
    var sqlValue: SQLValue { get }
}

extension Int: SQLBindable { public var sqlValue: SQLValue { .int(Int64(self)) } }
extension Int64: SQLBindable { public var sqlValue: SQLValue { .int(self) } }
extension Double: SQLBindable { public var sqlValue: SQLValue { .double(self) } }
extension String: SQLBindable { public var sqlValue: SQLValue { .text(self) } }
extension Bool: SQLBindable { public var sqlValue: SQLValue { .int(self ? 1 : 0) } }
extension SQLValue: SQLBindable { public var sqlValue: SQLValue { self } }
extension Optional: SQLBindable where Wrapped: SQLBindable {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// One result row: values by column name (statements use lower-case names and aliases, which both databases
/// report unchanged).
public struct SQLRow: Sendable {
    /// The row's values keyed by column name.
    public var values: [String: SQLValue]

    /// Creates a row from its values.
    public init(_ values: [String: SQLValue]) { self.values = values }

    /// The value of a column, or `.null` when the column is absent.
    public subscript(_ column: String) -> SQLValue { values[column] ?? .null }

    /// An integer column; throws when it is NULL or not an integer.
    public func int(_ column: String) throws -> Int64 {
        switch self[column] {
        case let .int(v): return v
        case let .double(v) where v.rounded() == v: return Int64(v)
        case let .text(v): if let i = Int64(v) { return i }
        default: break
        }
        throw StoreError.decoding("column '\(column)' is not an integer: \(self[column])")
    }

    /// An integer column that may be NULL.
    public func optionalInt(_ column: String) throws -> Int64? {
        if case .null = self[column] { return nil }
        return try int(column)
    }

    /// A double column (integers widen); throws when it is NULL.
    public func double(_ column: String) throws -> Double {
        switch self[column] {
        case let .double(v): return v
        case let .int(v): return Double(v)
        default: throw StoreError.decoding("column '\(column)' is not a number: \(self[column])")
        }
    }

    /// A text column; throws when it is NULL.
    public func text(_ column: String) throws -> String {
        if case let .text(v) = self[column] { return v }
        throw StoreError.decoding("column '\(column)' is not text: \(self[column])")
    }

    /// A text column that may be NULL.
    public func optionalText(_ column: String) throws -> String? {
        if case .null = self[column] { return nil }
        return try text(column)
    }

    /// A boolean stored as 0/1.
    public func bool(_ column: String) throws -> Bool { try int(column) != 0 }

    /// A JSON document stored as text, decoded into `T`.
    public func json<T: Decodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        let data = Data(try text(column).utf8)
        do { return try JSONDecoder().decode(T.self, from: data) } catch {
            throw StoreError.decoding("column '\(column)' holds invalid JSON for \(T.self): \(error)")
        }
    }

    /// A JSON document that may be NULL.
    public func optionalJSON<T: Decodable>(_ column: String, as type: T.Type = T.self) throws -> T? {
        if case .null = self[column] { return nil }
        return try json(column, as: T.self)
    }
}

/// Encodes a value as compact JSON text with sorted keys (stable for hashing and comparisons).
public func jsonText<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// Errors from the storage layer.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    /// The database could not be opened or reached.
    case unavailable(String)
    /// A statement failed.
    case statement(String)
    /// A uniqueness constraint was violated.
    case conflict(String)
    /// A value read back did not have the expected type.
    case decoding(String)
    /// The database URL is malformed.
    case badURL(String)

    public var description: String {
        switch self {
        case let .unavailable(m): return "database unavailable: \(m)"
        case let .statement(m): return "database statement failed: \(m)"
        case let .conflict(m): return "conflict: \(m)"
        case let .decoding(m): return "database value: \(m)"
        case let .badURL(m): return "database URL: \(m)"
        }
    }
}
