/// A JSON value: model specs and layer configs, cleaning steps, protocol tensors, database documents.
///
/// Decoding goes through `Decodable`, so any decoder (Foundation's `JSONDecoder` among them) produces it; numbers
/// are tried first, since inference requests are mostly arrays of numbers and every failed attempt costs an error
/// value. ``canonicalText`` writes compact JSON with sorted keys, so equal values give equal text.
///
/// ```swift
/// let spec: JSONValue = .object(["type": .string("Dense"), "units": .number(10)])
/// spec["units"]?.intValue      // 10
/// ```
public enum JSONValue: Codable, Sendable, Equatable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number (JSON does not tell integers apart; ``intValue`` reads integral values).
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object (key order is not kept; ``canonicalText`` sorts keys).
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

    /// The string, when this is one.
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    /// The number, when this is one.
    public var doubleValue: Double? { if case .number(let n) = self { return n } else { return nil } }
    /// The boolean, when this is one.
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    /// The members, when this is an object.
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { return o } else { return nil } }
    /// The number as an `Int`, when it is integral and exactly representable (|n| ≤ 2^53).
    public var intValue: Int? {
        guard let d = doubleValue, d == d.rounded(), Swift.abs(d) <= 9_007_199_254_740_992 else { return nil }
        return Int(d)
    }

    /// The member `key` of an object (nil for a missing key or a value that is not an object).
    public subscript(key: String) -> JSONValue? { objectValue?[key] }

    /// A number value from an integer.
    public static func int(_ value: Int) -> JSONValue { .number(Double(value)) }

    /// An array of numbers from integers (shapes, sizes).
    public static func ints(_ values: [Int]) -> JSONValue { .array(values.map { .number(Double($0)) }) }

    /// A number, or `null` when it is NaN or infinite (JSON has no such numbers).
    public static func finite(_ value: Double) -> JSONValue { value.isFinite ? .number(value) : .null }

    /// A number with the digits of the float's shortest text (`0.25`, not `0.25000000372`), or `null`
    /// when it is NaN or infinite.
    public static func finite(_ value: Float) -> JSONValue {
        guard value.isFinite else { return .null }
        return .number(Double(String(describing: value)) ?? Double(value))
    }

    /// A list of strings.
    public static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }

    /// A short name of the value's JSON type, for messages ("a number", "an object").
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
