import KouziBase
import KouziNN

/// One tunable setting of an algorithm template: its type, default and allowed range.
public struct Hyperparameter: Codable, Sendable, Equatable {
    /// The value type.
    public enum Kind: String, Codable, Sendable {
        /// A whole number within ``minimum``…``maximum``.
        case integer
        /// A real number within ``minimum``…``maximum``.
        case number
        /// One of ``choices``.
        case choice
        /// true or false.
        case boolean
    }

    public var name: String
    public var kind: Kind
    public var defaultValue: JSONValue
    public var minimum: Double?
    public var maximum: Double?
    public var choices: [String]?
    /// Whether searches should sample it on a log scale (learning rates, regularisation).
    public var logScale: Bool
    public var description: String

    public static func integer(_ name: String, _ value: Int, _ range: ClosedRange<Int>, _ description: String) -> Hyperparameter {
        Hyperparameter(name: name, kind: .integer, defaultValue: .number(Double(value)), minimum: Double(range.lowerBound),
                       maximum: Double(range.upperBound), choices: nil, logScale: false, description: description)
    }

    public static func number(_ name: String, _ value: Double, _ range: ClosedRange<Double>, log: Bool = false,
                       _ description: String) -> Hyperparameter {
        Hyperparameter(name: name, kind: .number, defaultValue: .number(value), minimum: range.lowerBound,
                       maximum: range.upperBound, choices: nil, logScale: log, description: description)
    }

    public static func choice(_ name: String, _ value: String, _ choices: [String], _ description: String) -> Hyperparameter {
        Hyperparameter(name: name, kind: .choice, defaultValue: .string(value), minimum: nil, maximum: nil,
                       choices: choices, logScale: false, description: description)
    }

    public static func boolean(_ name: String, _ value: Bool, _ description: String) -> Hyperparameter {
        Hyperparameter(name: name, kind: .boolean, defaultValue: .bool(value), minimum: nil, maximum: nil,
                       choices: nil, logScale: false, description: description)
    }

    /// Checks `value` against the type and range.
    /// - Throws: ``TrainingError/invalidConfiguration(field:message:)`` naming the hyper-parameter.
    public func validate(_ value: JSONValue) throws -> JSONValue {
        let field = "hyperparameters.\(name)"
        func range() -> String { "\(format(minimum ?? 0))…\(format(maximum ?? 0))" }
        switch kind {
        case .integer, .number:
            guard let number = value.doubleValue, number.isFinite else {
                throw TrainingError.invalidConfiguration(field: field, message: "must be a number, got \(value)")
            }
            if kind == .integer && number.rounded() != number {
                throw TrainingError.invalidConfiguration(field: field, message: "must be a whole number, got \(format(number))")
            }
            if let minimum, number < minimum { throw TrainingError.invalidConfiguration(field: field, message: "\(format(number)) is below the allowed range \(range())") }
            if let maximum, number > maximum { throw TrainingError.invalidConfiguration(field: field, message: "\(format(number)) is above the allowed range \(range())") }
            return .number(number)
        case .choice:
            guard let text = value.stringValue, choices?.contains(text) == true else {
                throw TrainingError.invalidConfiguration(field: field, message: "must be one of \((choices ?? []).joined(separator: ", ")), got \(value)")
            }
            return value
        case .boolean:
            guard value.boolValue != nil else {
                throw TrainingError.invalidConfiguration(field: field, message: "must be true or false, got \(value)")
            }
            return value
        }
    }

    private func format(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// Validated hyper-parameter values: the given ones, and the defaults for the rest.
public struct HyperparameterValues: Codable, Sendable, Equatable {
    public var values: [String: JSONValue]

    /// Checks `given` against `declared`: unknown names and values out of range are refused.
    public init(_ given: [String: JSONValue], declared: [Hyperparameter]) throws {
        let names = Set(declared.map(\.name))
        if let unknown = given.keys.sorted().first(where: { !names.contains($0) }) {
            throw TrainingError.invalidConfiguration(field: "hyperparameters.\(unknown)",
                message: "unknown hyper-parameter (this template has: \(declared.map(\.name).joined(separator: ", ")))")
        }
        var values: [String: JSONValue] = [:]
        for h in declared { values[h.name] = try given[h.name].map(h.validate) ?? h.defaultValue }
        self.values = values
    }

    public func int(_ name: String) -> Int { Int(values[name]?.doubleValue ?? 0) }
    public func double(_ name: String) -> Double { values[name]?.doubleValue ?? 0 }
    public func string(_ name: String) -> String { values[name]?.stringValue ?? "" }
    public func bool(_ name: String) -> Bool { values[name]?.boolValue ?? false }

    /// The values as text, for run parameters.
    public var texts: [String: String] {
        values.mapValues { v in
            switch v {
            case .number(let n): return n.rounded() == n && abs(n) < 1e15 ? String(Int(n)) : String(n)
            case .string(let s): return s
            case .bool(let b): return String(b)
            default: return v.description
            }
        }
    }
}
