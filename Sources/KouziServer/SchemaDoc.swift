/// A JSON Schema (the subset the API description uses), also used by the tests to validate real responses.
indirect enum SchemaDoc: Sendable {
    case string
    case integer
    case number
    case boolean
    /// Any JSON value.
    case any
    /// An object with properties (all listed as required unless named in `optional`).
    case object([(String, SchemaDoc)], optional: Set<String> = [])
    /// An object whose values all follow one schema.
    case map(SchemaDoc)
    case array(SchemaDoc)
    /// A named component schema.
    case ref(String)
    /// A string from a fixed set.
    case enumeration([String])
    /// Null or the wrapped schema.
    case nullable(SchemaDoc)

    /// The schema as a JSON document.
    var document: DocValue {
        switch self {
        case .string: return .object([("type", "string")])
        case .integer: return .object([("type", "integer")])
        case .number: return .object([("type", "number")])
        case .boolean: return .object([("type", "boolean")])
        case .any: return .object([])
        case let .object(properties, optional):
            let required = properties.map(\.0).filter { !optional.contains($0) }
            var fields: [(String, DocValue)] = [("type", "object"),
                                                ("properties", .object(properties.map { ($0.0, $0.1.document) }))]
            if !required.isEmpty { fields.append(("required", .array(required.map { .string($0) }))) }
            return .object(fields)
        case let .map(values): return .object([("type", "object"), ("additionalProperties", values.document)])
        case let .array(items): return .object([("type", "array"), ("items", items.document)])
        case let .ref(name): return .object([("$ref", .string("#/components/schemas/\(name)"))])
        case let .enumeration(values): return .object([("type", "string"), ("enum", .array(values.map { .string($0) }))])
        case let .nullable(inner):
            return .object([("oneOf", .array([inner.document, .object([("type", "null")])]))])
        }
    }
}

/// A JSON value with ordered object keys, for documents the server writes (the API description).
enum DocValue: Sendable, Encodable, ExpressibleByStringLiteral {
    case string(String)
    case int(Int)
    case bool(Bool)
    case array([DocValue])
    case object([(String, DocValue)])

    init(stringLiteral value: String) { self = .string(value) }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case let .string(v): var c = encoder.singleValueContainer(); try c.encode(v)
        case let .int(v): var c = encoder.singleValueContainer(); try c.encode(v)
        case let .bool(v): var c = encoder.singleValueContainer(); try c.encode(v)
        case let .array(items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(item) }
        case let .object(fields):
            var c = encoder.container(keyedBy: DocKey.self)
            for (key, value) in fields { try c.encode(value, forKey: DocKey(stringValue: key)) }
        }
    }

    struct DocKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
