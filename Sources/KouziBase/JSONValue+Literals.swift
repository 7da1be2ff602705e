extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
                     ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    /// `"text"` as a JSON string.
    public init(stringLiteral value: String) { self = .string(value) }
    /// `3` as a JSON number.
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    /// `0.5` as a JSON number.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// `true` as a JSON boolean.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// `[1, "a"]` as a JSON array.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// `["units": 10]` as a JSON object (a later duplicate key wins).
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .members(elements) }

    /// An object from key–value pairs (a later duplicate key wins).
    public static func members(_ pairs: [(String, JSONValue)]) -> JSONValue {
        .object(Dictionary(pairs, uniquingKeysWith: { _, later in later }))
    }
}
