import Foundation
import KouziBase
@testable import KouziInference
import Testing

/// The binary tensor data extension: a JSON header, then each binary tensor's little-endian bytes in order.
@Suite struct BinaryTensorDataTests {
    /// A body of `header` (JSON text) followed by `binary`, parsed with the header's length (by default).
    func result(_ header: String, _ binary: [UInt8], jsonLength: Int? = nil) -> Result<InferRequest, InferRequestSyntaxError> {
        let body = Array(header.utf8) + binary
        return body.withUnsafeBytes { raw in
            Result { () throws(InferRequestSyntaxError) -> InferRequest in
                try InferRequest.parse(raw, jsonLength: jsonLength ?? header.utf8.count)
            }
        }
    }

    func parse(_ header: String, _ binary: [UInt8]) throws -> InferRequest { try result(header, binary).get() }

    func message(_ header: String, _ binary: [UInt8], jsonLength: Int? = nil) -> String {
        switch result(header, binary, jsonLength: jsonLength) {
        case .success: return ""
        case let .failure(error): return error.message
        }
    }

    func le<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] { values.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } } }
    func input(_ name: String, _ shape: [Int], _ type: String, size: Int) -> String {
        "{\"name\":\"\(name)\",\"shape\":\(shape),\"datatype\":\"\(type)\",\"parameters\":{\"binary_data_size\":\(size)}}"
    }

    @Test func everyDatatypeReadsAsItsJSONFormDoes() throws {
        let floats: [Float] = [0.1, -2.5, 3e-8, 1e30]
        let doubles: [Double] = [0.1, -1e300]
        let text = ["dark", "", "日本"]
        let bytesData = text.flatMap { le([UInt32($0.utf8.count)]) + Array($0.utf8) }
        let parts: [(String, [Int], String, [UInt8])] = [
            ("f", [2, 2], "FP32", le(floats.map(\.bitPattern))), ("d", [2], "FP64", le(doubles.map(\.bitPattern))),
            ("b", [3], "BOOL", [1, 0, 1]), ("i8", [2], "INT8", [0xFF, 0x7F]), ("u16", [2], "UINT16", le([UInt16(65535), 1])),
            ("i32", [2], "INT32", le([Int32(-7), 1 << 30])), ("i64", [1], "INT64", le([Int64(-9_007_199_254_740_992)])),
            ("u64", [1], "UINT64", le([UInt64(42)])), ("s", [3], "BYTES", bytesData),
        ]
        let header = "{\"id\":\"r\",\"inputs\":[" + parts.map { input($0.0, $0.1, $0.2, size: $0.3.count) }.joined(separator: ",") + "]}"
        let request = try parse(header, parts.flatMap(\.3))
        let expected: [JSONValue] = [
            .array(floats.map { .number(Double($0)) }), .array(doubles.map { .number($0) }),
            .array([.bool(true), .bool(false), .bool(true)]), .array([.number(-1), .number(127)]),
            .array([.number(65535), .number(1)]), .array([.number(-7), .number(1_073_741_824)]), .array([.number(-9_007_199_254_740_992)]),
            .array([.number(42)]), .array(text.map { .string($0) }),
        ]
        #expect(request.id == "r")
        #expect(request.inputs.map(\.data) == expected)
        #expect(request.inputs.allSatisfy { $0.parameters == nil }, "binary_data_size is consumed")
        // The decoded tensors pass the codec as the JSON ones do.
        #expect(try InferenceCodec.decode(request.inputs[0]) == .numbers(floats.map(Double.init), shape: [2, 2], datatype: "FP32"))
        #expect(try InferenceCodec.decode(request.inputs[8]) == .strings(text, shape: [3]))
    }

    @Test func jsonAndBinaryInputsMixInOneRequest() throws {
        let header = "{\"inputs\":[{\"name\":\"a\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[5]}," + input("b", [1], "INT32", size: 4) + "]}"
        let request = try parse(header, le([Int32(9)]))
        #expect(request.inputs.map(\.data) == [.array([.number(5)]), .array([.number(9)])])
    }

    @Test func malformedBinaryBodiesNameWhatIsWrong() {
        let one = "{\"inputs\":[" + input("x", [2], "FP32", size: 8) + "]}"
        #expect(message(one, le([UInt32(0)])).contains("binary_data_size is 8 but only 4 bytes"))
        #expect(message(one, le([UInt32(0), 0, 0])).contains("4 bytes follow the binary data"))
        #expect(message(one, [], jsonLength: 10_000).contains("Inference-Header-Content-Length is 10000 but the body has"))
        #expect(message(one, le([UInt32(0), 0]), jsonLength: 5).contains("the first 5 bytes (Inference-Header-Content-Length) are not the request's JSON"))
        let odd = "{\"inputs\":[" + input("x", [2], "FP64", size: 6) + "]}"
        #expect(message(odd, [0, 0, 0, 0, 0, 0]).contains("not a whole number of 8-byte FP64 values"))
        let flag = "{\"inputs\":[" + input("x", [1], "BOOL", size: 1) + "]}"
        #expect(message(flag, [2]).contains("BOOL element 0 is the byte 2"))
        let text = "{\"inputs\":[" + input("x", [1], "BYTES", size: 6) + "]}"
        #expect(message(text, le([UInt32(9)]) + [0x61, 0x62]).contains("declares 9 bytes but 2 remain"))
        #expect(message(text, le([UInt32(2)]) + [0xFF, 0xFE]).contains("is not UTF-8 text"))
        let short = "{\"inputs\":[" + input("x", [1], "BYTES", size: 3) + "]}"
        #expect(message(short, [1, 0, 0]).contains("3 bytes left for its 4-byte length"))
        let half = "{\"inputs\":[" + input("x", [1], "FP16", size: 2) + "]}"
        #expect(message(half, [0, 0]).contains("datatype 'FP16' is not one of"))
        let negative = "{\"inputs\":[" + input("x", [1], "FP32", size: -4) + "]}"
        #expect(message(negative, []).contains("binary_data_size should be a non-negative integer"))
        let both = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1],\"parameters\":{\"binary_data_size\":4}}]}"
        #expect(message(both, [0, 0, 0, 0]).contains("has both data and binary_data_size"))
        // Without the header, a binary input cannot be read.
        do {
            _ = try InferRequest.parse(Data(one.utf8))
            Issue.record("a binary input without Inference-Header-Content-Length was read")
        } catch {
            #expect(error.message.contains("declares binary_data_size but the request has no Inference-Header-Content-Length"))
        }
    }

    @Test func outputsAskedInBinaryFollowTheJSONHeader() throws {
        let response = InferResponse(modelName: "m", modelVersion: "1", id: "q", parameters: nil, outputs: [
            InferTensor(name: "p", shape: [1, 2], datatype: "FP32", data: .array([.number(0.25), .number(0.75)])),
            InferTensor(name: "label", shape: [1], datatype: "BYTES", data: .array([.string("dark")])),
            InferTensor(name: "id", shape: [1], datatype: "INT64", data: .array([.number(3)])),
        ])
        func request(_ top: [String: JSONValue]?, _ outputs: [RequestedOutput]?) -> InferRequest {
            InferRequest(parameters: top, inputs: [], outputs: outputs)
        }
        #expect(try response.binaryBody(for: request(nil, nil), encoder: JSONEncoder()) == nil, "JSON unless asked")
        let asked = request(nil, [RequestedOutput(name: "label", parameters: ["binary_data": .bool(true)]), RequestedOutput(name: "p")])
        let (body, jsonLength) = try #require(try response.binaryBody(for: asked, encoder: JSONEncoder()))
        let header = try JSONDecoder().decode(InferResponse.self, from: body.prefix(jsonLength))
        #expect(header.outputs[0].data == response.outputs[0].data, "p stays JSON")
        #expect(header.outputs[1].data == .null && header.outputs[1].parameters?["binary_data_size"] == .number(8))
        #expect(Array(body.dropFirst(jsonLength)) == le([UInt32(4)]) + Array("dark".utf8))
        #expect(!String(decoding: body.prefix(jsonLength), as: UTF8.self).contains("\"data\":null"))
        // binary_data_output: every output not named with binary_data false, bytes in output order.
        let all = request(["binary_data_output": .bool(true)], [RequestedOutput(name: "label", parameters: ["binary_data": .bool(false)])])
        #expect(all.wantsBinary("p") && !all.wantsBinary("label") && all.wantsBinary("id"))
        let (everything, length) = try #require(try request(["binary_data_output": .bool(true)], nil)
            .wantsBinary("p") ? response.binaryBody(for: request(["binary_data_output": .bool(true)], nil), encoder: JSONEncoder()) : nil)
        #expect(Array(everything.dropFirst(length)) == le([Float(0.25).bitPattern, Float(0.75).bitPattern]) + le([UInt32(4)])
            + Array("dark".utf8) + le([Int64(3)]))
    }
}
