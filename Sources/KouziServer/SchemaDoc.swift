import KouziBase

/// A JSON Schema (the subset the API description uses), also used by the tests to validate real responses.
indirect enum SchemaDoc: Sendable {
    case string
    case integer
    case number
    case boolean
    /// Any JSON value.
    case any
    /// An object with properties (all listed as required unless named in `optional`; an optional property may also be
    /// null, which reads as absent).
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
    /// The wrapped schema with more keywords (ranges, lengths, patterns, `anyOf` of required sets).
    case constrained(SchemaDoc, [(String, JSONValue)])

    /// Whether null already matches the schema.
    var admitsNull: Bool {
        switch self {
        case .any, .nullable: return true
        case let .constrained(inner, _): return inner.admitsNull
        default: return false
        }
    }

    /// The schema as a JSON document.
    var document: JSONValue {
        switch self {
        case .string: return .members([("type", "string")])
        case .integer: return .members([("type", "integer")])
        case .number: return .members([("type", "number")])
        case .boolean: return .members([("type", "boolean")])
        case .any: return .members([])
        case let .object(properties, optional):
            let required = properties.map(\.0).filter { !optional.contains($0) }
            let documented = properties.map { name, schema -> (String, JSONValue) in
                (name, (optional.contains(name) && !schema.admitsNull ? SchemaDoc.nullable(schema) : schema).document)
            }
            var fields: [(String, JSONValue)] = [("type", "object"), ("properties", .members(documented))]
            if !required.isEmpty { fields.append(("required", .array(required.map { .string($0) }))) }
            return .members(fields)
        case let .map(values): return .members([("type", "object"), ("additionalProperties", values.document)])
        case let .array(items): return .members([("type", "array"), ("items", items.document)])
        case let .ref(name): return .members([("$ref", .string("#/components/schemas/\(name)"))])
        case let .enumeration(values): return .members([("type", "string"), ("enum", .array(values.map { .string($0) }))])
        case let .nullable(inner):
            return .members([("oneOf", .array([inner.document, .members([("type", "null")])]))])
        case let .constrained(inner, keywords):
            guard case var .object(fields) = inner.document else { return inner.document }
            for (keyword, value) in keywords { fields[keyword] = value }
            return .object(fields)
        }
    }
}
