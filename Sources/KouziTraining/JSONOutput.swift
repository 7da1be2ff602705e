import KouziBase
import Foundation
import KouziNN

extension JSONValue {
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
