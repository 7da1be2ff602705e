import KouziBase
import Foundation
import KouziNN
import Testing

/// JSONValue keeps each JSON type apart whatever order the decoder tries them in.
@Suite struct JSONValueTests {
    @Test func decodingKeepsBooleansNumbersAndStringsApart() throws {
        let text = #"{"a": [true, false, 1, 0, 1.5, -2e3, "1", "true", null, [], {}], "b": {"c": 9007199254740992}}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(value == .object([
            "a": .array([.bool(true), .bool(false), .number(1), .number(0), .number(1.5), .number(-2000), .string("1"),
                         .string("true"), .null, .array([]), .object([:])]),
            "b": .object(["c": .number(9_007_199_254_740_992)]),
        ]))
        let again = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
        #expect(again == value)
    }
}
