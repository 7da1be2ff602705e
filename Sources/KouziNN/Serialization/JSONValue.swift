/// A JSON value, for layer configs and model specs.
public enum JSONValue: Codable, Sendable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        // Numbers first: each failed attempt builds a DecodingError with its coding path, which dominated the cost
        // of decoding inference requests (arrays of numbers). JSONDecoder never reads `true` as a number.
        if c.decodeNil() { self = .null }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n):
            if n == n.rounded() && Swift.abs(n) < 1e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return String(b)
        case .number(let n): return n == n.rounded() && Swift.abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .string(let s): return "\"\(s)\""
        case .array(let a): return "[" + a.map(\.description).joined(separator: ", ") + "]"
        case .object(let o): return "{" + o.keys.sorted().map { "\"\($0)\": \(o[$0]!)" }.joined(separator: ", ") + "}"
        }
    }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var doubleValue: Double? { if case .number(let n) = self { return n } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { return o } else { return nil } }
    public var intValue: Int? {
        guard let d = doubleValue, d == d.rounded(), Swift.abs(d) <= 9_007_199_254_740_992 else { return nil }
        return Int(d)
    }
}

/// Typed access to a layer config with errors that name the layer and field.
public struct ConfigReader {
    public let layer: String
    public let fields: [String: JSONValue]

    public init(layer: String, fields: [String: JSONValue]) {
        self.layer = layer
        self.fields = fields
    }

    public func int(_ key: String) throws -> Int {
        guard let v = fields[key] else { throw NNError.invalidConfig("\(layer): missing field '\(key)'") }
        guard let i = v.intValue else { throw NNError.invalidConfig("\(layer): field '\(key)' must be an integer, got \(v)") }
        return i
    }

    public func int(_ key: String, default d: Int?) throws -> Int? {
        guard let v = fields[key], v != .null else { return d }
        guard let i = v.intValue else { throw NNError.invalidConfig("\(layer): field '\(key)' must be an integer, got \(v)") }
        return i
    }

    public func double(_ key: String, default d: Double) throws -> Double {
        guard let v = fields[key], v != .null else { return d }
        guard let x = v.doubleValue else { throw NNError.invalidConfig("\(layer): field '\(key)' must be a number, got \(v)") }
        return x
    }

    public func bool(_ key: String, default d: Bool) throws -> Bool {
        guard let v = fields[key], v != .null else { return d }
        guard let b = v.boolValue else { throw NNError.invalidConfig("\(layer): field '\(key)' must be true or false, got \(v)") }
        return b
    }

    public func string(_ key: String, default d: String?) throws -> String? {
        guard let v = fields[key], v != .null else { return d }
        guard let s = v.stringValue else { throw NNError.invalidConfig("\(layer): field '\(key)' must be a string, got \(v)") }
        return s
    }

    public func ints(_ key: String) throws -> [Int]? {
        guard let v = fields[key], v != .null else { return nil }
        guard let a = v.arrayValue, let ints = Optional(a.compactMap(\.intValue)), ints.count == a.count else {
            throw NNError.invalidConfig("\(layer): field '\(key)' must be a list of integers, got \(v)")
        }
        return ints
    }

    /// Throws if the config has fields outside `allowed` (catches typos in specs).
    public func onlyKnown(_ allowed: Set<String>) throws {
        let extra = Set(fields.keys).subtracting(allowed).subtracting(["type", "name"])
        if let bad = extra.sorted().first {
            throw NNError.invalidConfig("\(layer): unknown field '\(bad)' (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }
}
