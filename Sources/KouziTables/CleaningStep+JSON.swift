import KouziBase
import KouziData

extension CleaningStep: Codable {
    /// Decodes a step from a JSON object such as `{"op":"impute","columns":["age"],"strategy":"median"}`.
    ///
    /// The step index in errors is taken from the decoder's coding path (its position in an array).
    ///
    /// - Throws: ``CleaningError`` naming the step, the operation and the parameter.
    public init(from decoder: any Decoder) throws {
        let index = decoder.codingPath.last?.intValue ?? 0
        try self.init(json: JSONValue(from: decoder), step: index)
    }

    /// Encodes the step as its JSON object (see ``json``).
    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }

    /// Decodes a step from a JSON value; `step` is its index, for error messages.
    public init(json: JSONValue, step: Int) throws {
        guard case let .object(members) = json else {
            throw CleaningError.malformedStep(step: step, reason: "a step is a JSON object, found \(json.typeName)")
        }
        guard let opNode = members["op"] else {
            throw CleaningError.malformedStep(step: step, reason: "missing \"op\"; valid operations: "
                                              + CleaningStep.operationNames.joined(separator: ", "))
        }
        guard case let .string(op) = opNode else {
            throw CleaningError.malformedStep(step: step, reason: "\"op\" must be a string, found \(opNode.typeName)")
        }
        let p = StepParameters(step: step, op: op, members: members)
        switch op {
        case "dropMissing":
            try p.allow("columns", "how")
            self = .dropMissing(columns: try p.strings("columns", required: false),
                                how: try p.choice("how", MissingRule.self) ?? .any)
        case "impute":
            try p.allow("columns", "strategy", "value")
            let name = try p.string("strategy", required: true)!
            let strategy: ImputeStrategy
            switch name {
            case "mean": strategy = .mean
            case "median": strategy = .median
            case "mostFrequent": strategy = .mostFrequent
            case "constant":
                guard let value = try p.scalar("value") else { throw p.missing("value") }
                strategy = .constant(value)
            default:
                throw p.invalid("strategy", "'\(name)' is not one of \(ImputeStrategy.names.joined(separator: ", "))")
            }
            if members["value"] != nil, strategy.name != "constant" {
                throw p.invalid("value", "only the constant strategy takes a value")
            }
            self = .impute(columns: try p.strings("columns", required: true)!, strategy: strategy)
        case "dropDuplicates":
            try p.allow("columns")
            self = .dropDuplicates(columns: try p.strings("columns", required: false))
        case "filter":
            try p.allow("column", "operator", "value", "values")
            guard let op = try p.choice("operator", FilterOperator.self) else { throw p.missing("operator") }
            self = .filter(column: try p.string("column", required: true)!, op: op, value: try p.scalar("value"),
                           values: try p.scalars("values"))
        case "clip":
            try p.allow("columns", "min", "max", "lowerQuantile", "upperQuantile")
            self = .clip(columns: try p.strings("columns", required: true)!, min: try p.number("min"),
                         max: try p.number("max"), lowerQuantile: try p.number("lowerQuantile"),
                         upperQuantile: try p.number("upperQuantile"))
        case "cast":
            try p.allow("column", "to", "onError")
            guard let type = try p.choice("to", CastType.self) else { throw p.missing("to") }
            self = .cast(column: try p.string("column", required: true)!, to: type,
                         onError: try p.choice("onError", CastErrorPolicy.self) ?? .fail)
        case "standardize":
            try p.allow("columns")
            self = .standardize(columns: try p.strings("columns", required: true)!)
        case "normalize":
            try p.allow("columns")
            self = .normalize(columns: try p.strings("columns", required: true)!)
        case "encode":
            try p.allow("column", "method")
            guard let method = try p.choice("method", EncodingMethod.self) else { throw p.missing("method") }
            self = .encode(column: try p.string("column", required: true)!, method: method)
        case "split":
            try p.allow("ratios", "seed", "stratify", "output")
            self = .split(ratios: try p.ratios(), seed: try p.seed(), stratify: try p.string("stratify", required: false),
                          output: try p.string("output", required: false) ?? "split")
        case "dropColumns":
            try p.allow("columns")
            self = .dropColumns(columns: try p.strings("columns", required: true)!)
        case "renameColumn":
            try p.allow("column", "to")
            self = .renameColumn(column: try p.string("column", required: true)!, to: try p.string("to", required: true)!)
        default:
            throw CleaningError.unknownOperation(step: step, op: op, valid: CleaningStep.operationNames)
        }
    }

    /// The step as a JSON object, with every default written out (so equal steps encode equally).
    public var json: JSONValue {
        var m: [String: JSONValue] = ["op": .string(op)]
        func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
        switch self {
        case let .dropMissing(columns, how):
            if let columns { m["columns"] = strings(columns) }
            m["how"] = .string(how.rawValue)
        case let .impute(columns, strategy):
            m["columns"] = strings(columns)
            m["strategy"] = .string(strategy.name)
            if case let .constant(value) = strategy { m["value"] = .string(value) }
        case let .dropDuplicates(columns):
            if let columns { m["columns"] = strings(columns) }
        case let .filter(column, op, value, values):
            m["column"] = .string(column)
            m["operator"] = .string(op.rawValue)
            if let value { m["value"] = .string(value) }
            if let values { m["values"] = strings(values) }
        case let .clip(columns, min, max, lowerQuantile, upperQuantile):
            m["columns"] = strings(columns)
            if let min { m["min"] = .number(min) }
            if let max { m["max"] = .number(max) }
            if let lowerQuantile { m["lowerQuantile"] = .number(lowerQuantile) }
            if let upperQuantile { m["upperQuantile"] = .number(upperQuantile) }
        case let .cast(column, to, onError):
            m["column"] = .string(column)
            m["to"] = .string(to.rawValue)
            m["onError"] = .string(onError.rawValue)
        case let .standardize(columns), let .normalize(columns), let .dropColumns(columns):
            m["columns"] = strings(columns)
        case let .encode(column, method):
            m["column"] = .string(column)
            m["method"] = .string(method.rawValue)
        case let .split(ratios, seed, stratify, output):
            m["ratios"] = .object(["train": .number(ratios.train), "validation": .number(ratios.validation),
                                   "test": .number(ratios.test)])
            m["seed"] = .number(Double(seed))
            if let stratify { m["stratify"] = .string(stratify) }
            m["output"] = .string(output)
        case let .renameColumn(column, to):
            m["column"] = .string(column)
            m["to"] = .string(to)
        }
        return .object(m)
    }
}

/// Typed access to a step's parameters with errors naming the step, operation and parameter.
private struct StepParameters {
    let step: Int
    let op: String
    let members: [String: JSONValue]

    func allow(_ names: String...) throws {
        for key in members.keys.sorted() where key != "op" && !names.contains(key) {
            throw CleaningError.unexpectedParameter(step: step, op: op, name: key, allowed: names)
        }
    }

    func missing(_ name: String) -> CleaningError {
        .missingParameter(step: step, op: op, name: name)
    }

    func invalid(_ name: String, _ reason: String) -> CleaningError {
        .invalidParameter(step: step, op: op, name: name, reason: reason)
    }

    func string(_ name: String, required: Bool) throws -> String? {
        switch members[name] {
        case nil, .null?:
            if required { throw missing(name) }
            return nil
        case let .string(value)?: return value
        case let other?: throw invalid(name, "expected a string, found \(other.typeName)")
        }
    }

    func strings(_ name: String, required: Bool) throws -> [String]? {
        switch members[name] {
        case nil, .null?:
            if required { throw missing(name) }
            return nil
        case let .array(values)?:
            guard !values.isEmpty else { throw invalid(name, "the list is empty") }
            return try values.map {
                guard case let .string(value) = $0 else { throw invalid(name, "expected strings, found \($0.typeName)") }
                return value
            }
        case let .string(value)?: return [value]
        case let other?: throw invalid(name, "expected an array of strings, found \(other.typeName)")
        }
    }

    /// A string, number or boolean as cell text.
    func scalar(_ name: String) throws -> String? {
        guard let node = members[name], node != .null else { return nil }
        return try text(of: node, name)
    }

    func scalars(_ name: String) throws -> [String]? {
        switch members[name] {
        case nil, .null?: return nil
        case let .array(values)?: return try values.map { try text(of: $0, name) }
        case let other?: throw invalid(name, "expected an array, found \(other.typeName)")
        }
    }

    private func text(of node: JSONValue, _ name: String) throws -> String {
        switch node {
        case let .string(value): return value
        case let .number(value): return CellNumber.format(value)
        case let .bool(value): return value ? "true" : "false"
        default: throw invalid(name, "expected a string, number or boolean, found \(node.typeName)")
        }
    }

    func number(_ name: String) throws -> Double? {
        switch members[name] {
        case nil, .null?: return nil
        case let .number(value)?: return value
        case let other?: throw invalid(name, "expected a number, found \(other.typeName)")
        }
    }

    func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard let raw = try string(name, required: false) else { return nil }
        guard let value = T(rawValue: raw) else {
            throw invalid(name, "'\(raw)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    func ratios() throws -> SplitRatios {
        guard let node = members["ratios"] else { throw missing("ratios") }
        guard case let .object(parts) = node else {
            throw invalid("ratios", "expected an object {\"train\": …, \"validation\": …, \"test\": …}, found \(node.typeName)")
        }
        for key in parts.keys.sorted() where !["train", "validation", "test"].contains(key) {
            throw invalid("ratios", "unknown part '\(key)'; parts are train, validation, test")
        }
        func part(_ key: String) throws -> Double {
            switch parts[key] {
            case nil: return 0
            case let .number(value)?: return value
            case let other?: throw invalid("ratios", "'\(key)' must be a number, found \(other.typeName)")
            }
        }
        return SplitRatios(train: try part("train"), validation: try part("validation"), test: try part("test"))
    }

    func seed() throws -> UInt64 {
        guard let value = try number("seed") else { return 0 }
        guard value >= 0, value == value.rounded(), value <= 9_007_199_254_740_992 else {
            throw invalid("seed", "\(value) is not a whole number in 0...2^53")
        }
        return UInt64(value)
    }
}
