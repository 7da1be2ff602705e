import Foundation
@testable import KouziInference
import KouziNN
@testable import KouziTraining
import Testing

/// The protocol's own request reader: the same requests as `JSONDecoder` reads, numbers bit for bit, and a
/// precise message for everything else.
@Suite struct InferRequestParsingTests {
    func parse(_ text: String) throws(InferRequestSyntaxError) -> InferRequest { try InferRequest.parse(Data(text.utf8)) }

    func message(_ text: String) -> String {
        do { _ = try parse(text); return "" } catch { return error.message }
    }

    @Test func numbersMatchTheStandardParserBitForBit() throws {
        var generator = SystemRandomNumberGenerator()
        var texts: [String] = ["0", "-0", "1", "0.1", "0.5", "1e0", "1E+2", "2.5e-3", "123456789012345678", "9007199254740993",
                               "1.7976931348623157e308", "5e-324", "2.2250738585072014e-308", "0.000001", "3.14159265358979323846",
                               "1e22", "1e23", "12345678901234567890123", "-0.0", "0.30000000000000004", "100", "7.0e-10"]
        for _ in 0..<3000 {
            let v = Double.random(in: -1e6...1e6, using: &generator)
            texts.append("\(v)")
            texts.append(String(format: "%.6f", Float(v) / 1000))
            texts.append("\(Float.random(in: 0...1, using: &generator))")
            texts.append("\(Int.random(in: -1_000_000...1_000_000, using: &generator))")
        }
        let body = "{\"inputs\":[{\"name\":\"x\",\"shape\":[\(texts.count)],\"datatype\":\"FP64\",\"data\":[\(texts.joined(separator: ","))]}]}"
        let fast = try parse(body)
        let standard = try JSONDecoder().decode(InferRequest.self, from: Data(body.utf8))
        let a = try #require(fast.inputs.first?.data.arrayValue), b = try #require(standard.inputs.first?.data.arrayValue)
        #expect(a.count == texts.count && b.count == texts.count)
        for (i, (x, y)) in zip(a, b).enumerated() {
            let p = try #require(x.doubleValue), q = try #require(y.doubleValue)
            #expect(p.bitPattern == q.bitPattern, "\(texts[i]): \(p) vs \(q)")
            #expect(p.bitPattern == Double(texts[i])!.bitPattern, "\(texts[i])")
        }
    }

    @Test func readsEveryPartOfARequest() throws {
        let request = try parse("""
             { "id" : "r-1", "parameters": {"routing_key": "u7", "n": 3},
               "inputs": [ {"name": "x", "shape": [2, 2], "datatype": "FP32", "data": [[1, 2.5], [-3e2, 0]]},
                           {"name": "s", "shape": [2], "datatype": "BYTES", "data": ["a \\"quoted\\" \\u00e9\\ud83d\\ude00", "\\n\\t\\/"],
                            "parameters": {"content_type": "str"}},
                           {"name": "b", "shape": [1], "datatype": "BOOL", "data": [true]} ],
               "outputs": [{"name": "label"}], "unknown": {"ignored": [null, false]} }
            """)
        #expect(request.id == "r-1")
        #expect(request.parameters?["routing_key"] == .string("u7") && request.parameters?["n"] == .number(3))
        #expect(request.inputs.map(\.name) == ["x", "s", "b"])
        #expect(request.inputs[0].shape == [2, 2] && request.inputs[0].datatype == "FP32")
        #expect(request.inputs[0].data == .array([.array([.number(1), .number(2.5)]), .array([.number(-300), .number(0)])]))
        #expect(request.inputs[1].data == .array([.string("a \"quoted\" é😀"), .string("\n\t/")]))
        #expect(request.inputs[1].parameters?["content_type"] == .string("str"))
        #expect(request.inputs[2].data == .array([.bool(true)]))
        #expect(request.outputs?.map(\.name) == ["label"])
        // The same as the standard decoder reads.
        let standard = try JSONDecoder().decode(InferRequest.self, from: Data("""
            {"id":"r-1","inputs":[{"name":"s","shape":[1],"datatype":"BYTES","data":["\\u00e9"]}]}
            """.utf8))
        #expect(try parse("{\"id\":\"r-1\",\"inputs\":[{\"name\":\"s\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"\\u00e9\"]}]}") == standard)
    }

    @Test func refusesWhatIsNotJSONWithThePlace() {
        for (text, fragment) in [
            ("{\"inputs\": [", "unexpected end"), ("", "unexpected end"), ("{\"inputs\": []} x", "after the value"),
            ("{\"inputs\": [01]}", "leading zero"), ("{\"inputs\": [1.]}", "after '.'"), ("{\"inputs\": [1e]}", "exponent"),
            ("{\"inputs\": [tru]}", "literal"), ("{'inputs': []}", "member name"), ("{\"a\" 1}", "expected ':'"),
            ("{\"a\": \"\u{01}\"}", "control character"), ("{\"a\": \"\\x\"}", "unknown escape"),
            ("{\"a\": \"\\ud800\"}", "surrogate"), ("[1 2]", "expected ',' or ']'"), ("{\"a\": 1e999}", "out of range"),
            (String(repeating: "[", count: 300) + String(repeating: "]", count: 300), "nested deeper"),
        ] {
            let m = message(text)
            #expect(m.hasPrefix("the body is not valid JSON") && m.contains(fragment), "\(text.prefix(40)): \(m)")
        }
    }

    @Test func refusesJSONThatIsNotARequest() {
        for (text, expected) in [
            ("[]", "the body should be an object with 'inputs'"),
            ("{}", "missing field 'inputs'"),
            ("{\"inputs\": {}}", "inputs should be an array"),
            ("{\"inputs\": [3]}", "inputs[0] should be an object"),
            ("{\"inputs\": [{\"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]}", "missing field 'name' in inputs[0]"),
            ("{\"inputs\": [{\"name\": 1, \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]}", "inputs[0].name should be a string"),
            ("{\"inputs\": [{\"name\": \"x\", \"shape\": [1.5], \"datatype\": \"FP32\", \"data\": [1]}]}", "inputs[0].shape should be an array of integers"),
            ("{\"inputs\": [{\"name\": \"x\", \"shape\": [99999999], \"datatype\": \"FP32\", \"data\": {\"3\": 1}}]}",
             "inputs[0].data should be an array (flat or nested) of values"),
            ("{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\"}]}", "missing field 'data' in inputs[0]"),
            ("{\"inputs\": [], \"outputs\": [{}]}", "missing field 'name' in outputs[0]"),
            ("{\"id\": 5, \"inputs\": []}", "id should be a string"),
        ] {
            #expect(message(text) == expected, "\(text)")
        }
    }

    /// Shapes whose element count is astronomically large or overflows are refused before anything is allocated
    /// (the first made the server reserve 4.9 × 10^16 elements and abort; the second trapped on the product).
    @Test func hugeAndOverflowingShapesAreRefusedWithoutAllocating() throws {
        for (shape, expected) in [("[1029, 47230688151478]", "holds 48600378107870862 elements but data has 3"),
                                  ("[2364, 1394, 3301, 1464453598, 626]", "holds more elements than can be counted"),
                                  ("[4000000000000000, 4000000000000000]", "holds more elements than can be counted")] {
            let request = try parse("{\"inputs\": [{\"name\": \"x\", \"shape\": \(shape), \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}")
            #expect(throws: InferenceError.self) { try InferenceCodec.decode(request.inputs[0]) }
            do { _ = try InferenceCodec.decode(request.inputs[0]) } catch {
                #expect("\(error)".contains(expected), "\(shape): \(error)")
            }
        }
    }
}
