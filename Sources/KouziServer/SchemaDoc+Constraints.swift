import KouziBase

/// The constraints the server checks, stated in the description so that what it admits is what the server accepts.
extension SchemaDoc {
    /// This schema with more JSON Schema keywords.
    func with(_ keywords: (String, JSONValue)...) -> SchemaDoc { .constrained(self, keywords) }

    /// An integer in `range`.
    static func integer(_ range: ClosedRange<Int>) -> SchemaDoc {
        .integer.with(("minimum", .number(Double(range.lowerBound))), ("maximum", .number(Double(range.upperBound))))
    }

    /// An integer of at least `minimum`.
    static func integer(atLeast minimum: Int) -> SchemaDoc { .integer.with(("minimum", .number(Double(minimum)))) }

    /// A number in `range`; `open` excludes the bounds.
    static func number(_ range: ClosedRange<Double>, openBelow: Bool = false, openAbove: Bool = false) -> SchemaDoc {
        .number.with((openBelow ? "exclusiveMinimum" : "minimum", .number(range.lowerBound)),
                     (openAbove ? "exclusiveMaximum" : "maximum", .number(range.upperBound)))
    }

    /// A number of at least `minimum`.
    static func number(atLeast minimum: Double) -> SchemaDoc { .number.with(("minimum", .number(minimum))) }

    /// The largest integer every JSON reader keeps exact (2^53 − 1).
    static let largestExactInteger = 9_007_199_254_740_991

    /// Database ids: positive integers up to ``largestExactInteger``.
    static let ids = 1...largestExactInteger

    /// Counts, offsets, sequence numbers and times: 0 up to ``largestExactInteger``.
    static let counts = 0...largestExactInteger

    /// A database id.
    static let id = SchemaDoc.integer(ids)

    /// Text of at least one character.
    static let nonEmpty = SchemaDoc.string.with(("minLength", 1))

    /// A user-chosen name (projects, datasets, models, deployments, variants, tokens): 1–100 ASCII letters, digits, '-',
    /// '_' or '.', starting with a letter or digit (``validateName`` on the server).
    static let name = SchemaDoc.string.with(("pattern", "^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"))

    /// An array of at least one item.
    static func nonEmptyArray(_ items: SchemaDoc) -> SchemaDoc { .array(items).with(("minItems", 1)) }

    /// A metric, parameter or tag key (MLflow's rule): 1–250 ASCII letters, digits, '_', '-', '.', ' ' or '/', not
    /// starting with '/' nor containing '..'.
    static let trackingKey = SchemaDoc.string.with(("pattern", "^(?!/)(?!.*[.][.])[A-Za-z0-9_. /-]{1,250}$"))

    /// A run's artifact path: parts separated by '/', none of them '.' or '..', without '\\' or NUL (at most 32
    /// parts and 1,024 bytes of UTF-8, which a pattern cannot count).
    static let artifactPath = SchemaDoc.string.with(("pattern", .string(artifactPathPattern)))

    /// A folder of a run's artifacts: an artifact path, or empty for all of them.
    static let artifactFolder = SchemaDoc.string.with(("pattern", .string("^$|" + artifactPathPattern)))

    private static let artifactPathPattern = "^/*(?![.]{1,2}(/|$))[^/\\\\\\x00]+(/+(?![.]{1,2}(/|$))[^/\\\\\\x00]+)*/*$"

    /// An experiment name: 1–200 characters, not all blank, without control characters.
    static let experimentName = SchemaDoc.string.with(("pattern", "^(?=.*\\S)[^\\x00-\\x1f\\x7f-\\x9f]+$"), ("maxLength", 200))

    /// A map of tracking keys to text.
    static let trackingTags = SchemaDoc.map(.string).with(("propertyNames", trackingKey.document))

    /// An object that must carry at least one of `fields`.
    func requiringAny(of fields: [String]) -> SchemaDoc { with(("anyOf", Self.requiredEach(fields))) }

    /// An object that must carry exactly one of `fields`.
    func requiringExactlyOne(of fields: [String]) -> SchemaDoc { with(("oneOf", Self.requiredEach(fields))) }

    /// One alternative per field: present and not null.
    private static func requiredEach(_ fields: [String]) -> JSONValue {
        .array(fields.map { field in
            .members([("required", .array([.string(field)])),
                      ("properties", .members([(field, .members([("not", .members([("type", "null")]))]))]))])
        })
    }
}
