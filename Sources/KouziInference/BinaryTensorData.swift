import Foundation
import KouziBase

/// The binary tensor data extension of the Open Inference Protocol (as Triton and KServe define it): a body is a
/// JSON header of `Inference-Header-Content-Length` bytes followed by the raw data of every tensor whose
/// `parameters` carry `binary_data_size`, in the order of the tensors. Values are little-endian and row-major;
/// BOOL is one byte (0 or 1); a BYTES element is a 4-byte little-endian length followed by that many bytes.
///
/// An output is answered in binary when its request names it with `"binary_data": true`, or when the request's
/// `"binary_data_output": true` asks it for every output not named with `"binary_data": false`.
public enum BinaryTensorData {
    /// The parameter giving a tensor's binary data size in bytes.
    public static let sizeParameter = "binary_data_size"

    /// Bytes per element of the fixed-width datatypes.
    static let widths: [String: Int] = [
        "BOOL": 1, "INT8": 1, "UINT8": 1, "INT16": 2, "UINT16": 2, "INT32": 4, "UINT32": 4, "INT64": 8, "UINT64": 8,
        "FP32": 4, "FP64": 8,
    ]

    /// The values of `bytes` read as `datatype` (flat, row-major), as the JSON values the protocol's codecs read.
    static func values(_ bytes: UnsafeRawBufferPointer, datatype: String, tensor: String) throws(InferRequestSyntaxError) -> [JSONValue] {
        func fail(_ message: String) -> InferRequestSyntaxError {
            InferRequestSyntaxError.binary("input '\(tensor)': \(message)")
        }
        if datatype == "BYTES" {
            var values: [JSONValue] = []
            var at = 0
            while at < bytes.count {
                guard bytes.count - at >= 4 else {
                    throw fail("BYTES element \(values.count) has \(bytes.count - at) bytes left for its 4-byte length")
                }
                let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
                at += 4
                guard length <= bytes.count - at else {
                    throw fail("BYTES element \(values.count) declares \(length) bytes but \(bytes.count - at) remain")
                }
                guard let text = String(validating: UnsafeRawBufferPointer(rebasing: bytes[at..<at + length]), as: UTF8.self) else {
                    throw fail("BYTES element \(values.count) is not UTF-8 text")
                }
                values.append(.string(text))
                at += length
            }
            return values
        }
        guard let width = widths[datatype] else {
            throw fail("datatype '\(datatype)' is not one of BOOL, INT8…INT64, UINT8…UINT64, FP32, FP64, BYTES")
        }
        guard bytes.count % width == 0 else {
            throw fail("\(bytes.count) bytes of binary data is not a whole number of \(width)-byte \(datatype) values")
        }
        let count = bytes.count / width
        var values: [JSONValue] = []
        values.reserveCapacity(count)
        func each<T: FixedWidthInteger>(_: T.Type) {
            for i in 0..<count {
                values.append(.number(Double(T(littleEndian: bytes.loadUnaligned(fromByteOffset: i * width, as: T.self)))))
            }
        }
        switch datatype {
        case "BOOL":
            for i in 0..<count {
                switch bytes[i] {
                case 0: values.append(.bool(false))
                case 1: values.append(.bool(true))
                default: throw fail("BOOL element \(i) is the byte \(bytes[i]), not 0 or 1")
                }
            }
        case "INT8": each(Int8.self)
        case "UINT8": each(UInt8.self)
        case "INT16": each(Int16.self)
        case "UINT16": each(UInt16.self)
        case "INT32": each(Int32.self)
        case "UINT32": each(UInt32.self)
        case "INT64": each(Int64.self)
        case "UINT64": each(UInt64.self)
        case "FP32":
            for i in 0..<count {
                let bits = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
                values.append(.number(Double(Float(bitPattern: bits))))
            }
        default:  // FP64
            for i in 0..<count {
                values.append(.number(Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))))
            }
        }
        return values
    }

    /// The binary form of an output's (flat or nested) values.
    static func bytes(of tensor: InferTensor) throws -> [UInt8] {
        var flat: [JSONValue] = []
        try InferenceCodec.flatten(tensor.data, into: &flat, depth: 0, shape: tensor.shape, name: "output '\(tensor.name)'")
        func invalid(_ value: JSONValue) -> InferenceError {
            .unwritable(destination: "output '\(tensor.name)'", reason: "\(value) is not a \(tensor.datatype) value")
        }
        var out: [UInt8] = []
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) } }
        func integer<T: FixedWidthInteger>(_: T.Type, _ value: JSONValue) throws -> T {
            guard let d = value.doubleValue, let v = T(exactly: d) else { throw invalid(value) }
            return v
        }
        out.reserveCapacity(flat.count * (widths[tensor.datatype] ?? 8))
        for value in flat {
            switch tensor.datatype {
            case "BYTES":
                guard let text = value.stringValue else { throw invalid(value) }
                let utf8 = Array(text.utf8)
                append(UInt32(utf8.count))
                out.append(contentsOf: utf8)
            case "BOOL":
                guard let b = value.boolValue ?? value.doubleValue.map({ $0 != 0 }) else { throw invalid(value) }
                out.append(b ? 1 : 0)
            case "FP32":
                guard let d = value.doubleValue else { throw invalid(value) }
                append(Float(d).bitPattern)
            case "FP64":
                guard let d = value.doubleValue else { throw invalid(value) }
                append(d.bitPattern)
            case "INT8": append(try integer(Int8.self, value))
            case "UINT8": append(try integer(UInt8.self, value))
            case "INT16": append(try integer(Int16.self, value))
            case "UINT16": append(try integer(UInt16.self, value))
            case "INT32": append(try integer(Int32.self, value))
            case "UINT32": append(try integer(UInt32.self, value))
            case "INT64": append(try integer(Int64.self, value))
            case "UINT64": append(try integer(UInt64.self, value))
            default:
                throw InferenceError.unwritable(destination: "output '\(tensor.name)'",
                                                reason: "datatype '\(tensor.datatype)' has no binary form")
            }
        }
        return out
    }
}

extension InferRequest {
    /// Reads a request of the binary tensor data extension: `jsonLength` bytes of JSON header (the
    /// `Inference-Header-Content-Length` header), then the binary data of the inputs that declare
    /// `binary_data_size`, in their order. The inputs come out as if their data had been sent as JSON.
    public static func parse(_ body: UnsafeRawBufferPointer, jsonLength: Int) throws(InferRequestSyntaxError) -> InferRequest {
        guard jsonLength >= 0, jsonLength <= body.count else {
            throw InferRequestSyntaxError.binary("Inference-Header-Content-Length is \(jsonLength) but the body has \(body.count) bytes")
        }
        var request: InferRequest
        do {
            request = try parse(UnsafeRawBufferPointer(rebasing: body[0..<jsonLength]), binaryFollows: true)
        } catch {
            throw InferRequestSyntaxError(message: "the first \(jsonLength) bytes (Inference-Header-Content-Length) are not "
                                          + "the request's JSON: \(error.message)")
        }
        var at = jsonLength
        for i in request.inputs.indices {
            let input = request.inputs[i]
            guard let declared = input.parameters?[BinaryTensorData.sizeParameter] else { continue }
            guard let size = declared.intValue, size >= 0 else {
                throw InferRequestSyntaxError.binary("input '\(input.name)': binary_data_size should be a non-negative integer, got \(declared)")
            }
            guard size <= body.count - at else {
                throw InferRequestSyntaxError.binary("input '\(input.name)': binary_data_size is \(size) but only \(body.count - at) bytes of binary data remain")
            }
            let values = try BinaryTensorData.values(UnsafeRawBufferPointer(rebasing: body[at..<at + size]),
                                                     datatype: input.datatype, tensor: input.name)
            at += size
            request.inputs[i].data = .array(values)
            request.inputs[i].parameters?[BinaryTensorData.sizeParameter] = nil
            if request.inputs[i].parameters?.isEmpty == true { request.inputs[i].parameters = nil }
        }
        guard at == body.count else {
            throw InferRequestSyntaxError.binary("\(body.count - at) bytes follow the binary data the inputs declare (binary_data_size)")
        }
        return request
    }

    /// Whether the answer to this request should carry `output` as binary data.
    public func wantsBinary(_ output: String) -> Bool {
        if let flag = outputs?.first(where: { $0.name == output })?.parameters?["binary_data"]?.boolValue { return flag }
        return parameters?["binary_data_output"]?.boolValue ?? false
    }
}

extension InferResponse {
    /// The response body under the binary tensor data extension: the outputs `request` asks for in binary carry
    /// `binary_data_size` instead of `data`, and their bytes follow the JSON header. Nil when no output is wanted in
    /// binary (the body is then plain JSON).
    public func binaryBody(for request: InferRequest, encoder: JSONEncoder) throws -> (body: Data, jsonLength: Int)? {
        guard outputs.contains(where: { request.wantsBinary($0.name) }) else { return nil }
        var header = self
        var binary: [UInt8] = []
        for i in header.outputs.indices where request.wantsBinary(header.outputs[i].name) {
            let bytes = try BinaryTensorData.bytes(of: header.outputs[i])
            binary.append(contentsOf: bytes)
            header.outputs[i].data = .null
            header.outputs[i].parameters = (header.outputs[i].parameters ?? [:])
                .merging([BinaryTensorData.sizeParameter: .number(Double(bytes.count))]) { _, new in new }
        }
        var body = try encoder.encode(header)
        let jsonLength = body.count
        body.append(contentsOf: binary)
        return (body, jsonLength)
    }
}
