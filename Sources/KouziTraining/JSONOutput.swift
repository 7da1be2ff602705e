import Foundation
import KouziNN

extension JSONValue {
    /// A number, or `null` when it is NaN or infinite (JSON has no such numbers).
    package static func finite(_ value: Double) -> JSONValue { value.isFinite ? .number(value) : .null }

    /// A number with the digits of the float's shortest text (`0.25`, not `0.25000000372`), or `null`
    /// when it is NaN or infinite.
    package static func finite(_ value: Float) -> JSONValue {
        guard value.isFinite else { return .null }
        return .number(Double(String(describing: value)) ?? Double(value))
    }

    /// A list of strings.
    package static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }

    /// A list of integers.
    package static func ints(_ values: [Int]) -> JSONValue { .array(values.map { .number(Double($0)) }) }

    /// Logs such as `["loss": 0.3, "accuracy": 0.9]` as an object.
    package static func logs(_ values: [String: Float]) -> JSONValue { .object(values.mapValues(finite)) }

    /// The value as JSON text with sorted keys: one line, or indented with `pretty`.
    package func rendered(pretty: Bool = false) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}
