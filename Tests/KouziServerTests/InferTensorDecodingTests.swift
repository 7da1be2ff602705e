import Foundation
import KouziBase
import KouziInference
import KouziNN
import KouziPlatform
import Testing

/// An inference tensor read with `JSONDecoder` (as clients of the library may) keeps its `data` as the JSON it was:
/// flat or nested numbers, strings, booleans, nulls.
@Suite struct InferTensorDecodingTests {
    private func data(_ datatype: String, _ json: String) throws -> JSONValue {
        let text = #"{"name": "x", "shape": [2], "datatype": "\#(datatype)", "data": \#(json)}"#
        return try JSONDecoder().decode(InferTensor.self, from: Data(text.utf8)).data
    }

    @Test func flatNumbersNestedArraysStringsAndBooleans() throws {
        #expect(try data("FP32", "[0.5, -2e3, 7]") == .array([.number(0.5), .number(-2000), .number(7)]))
        #expect(try data("INT64", "[[1, 2], [3, 4]]") == .array([.array([.number(1), .number(2)]), .array([.number(3), .number(4)])]))
        #expect(try data("BYTES", #"["a", "b"]"#) == .array([.string("a"), .string("b")]))
        #expect(try data("BOOL", "[true, false]") == .array([.bool(true), .bool(false)]))
        #expect(try data("FP32", #"[1, "two", null]"#) == .array([.number(1), .string("two"), .null]))
        #expect(try data("FP32", "[]") == .array([]))
        #expect(try data("FP64", "3.5") == .number(3.5))
    }

    @Test func encodingIsUnchanged() throws {
        let tensor = InferTensor(name: "p", shape: [2], datatype: "FP32", data: .array([.number(0.25), .number(1)]))
        let text = String(decoding: try JSONEncoder().encode(tensor), as: UTF8.self)
        for part in [#""name":"p""#, #""shape":[2]"#, #""datatype":"FP32""#, #""data":[0.25,1]"#] {
            #expect(text.contains(part), "\(text)")
        }
        #expect(try JSONDecoder().decode(InferTensor.self, from: Data(text.utf8)) == tensor)
    }
}
