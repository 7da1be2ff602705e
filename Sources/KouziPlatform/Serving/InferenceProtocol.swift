import Foundation
import KouziNN

/// One tensor of an Open Inference Protocol (KServe V2) request or response: `name`, `shape`, `datatype` and
/// `data` (row-major, flat or nested as the shape).
public struct InferTensor: Codable, Sendable, Equatable {
    public var name: String
    public var shape: [Int]
    public var datatype: String
    public var parameters: [String: JSONValue]?
    public var data: JSONValue

    public init(name: String, shape: [Int], datatype: String, data: JSONValue, parameters: [String: JSONValue]? = nil) {
        self.name = name
        self.shape = shape
        self.datatype = datatype
        self.data = data
        self.parameters = parameters
    }

    enum CodingKeys: String, CodingKey { case name, shape, datatype, parameters, data }

    /// Flat numeric data (the usual request) is read number by number with the decoder's own `Double` call:
    /// through `JSONValue` (or `[Double]`'s generic decoding) it cost most of a small model's request time.
    /// Anything else is read as `JSONValue`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        shape = try c.decode([Int].self, forKey: .shape)
        datatype = try c.decode(String.self, forKey: .datatype)
        parameters = try c.decodeIfPresent([String: JSONValue].self, forKey: .parameters)
        func numbers() throws -> [JSONValue] {
            var list = try c.nestedUnkeyedContainer(forKey: .data)
            var values: [JSONValue] = []
            values.reserveCapacity(list.count ?? 0)
            while !list.isAtEnd { values.append(.number(try list.decode(Double.self))) }
            return values
        }
        if datatype != "BYTES", datatype != "BOOL", let values = try? numbers() {
            data = .array(values)
        } else {
            data = try c.decode(JSONValue.self, forKey: .data)
        }
    }
}

/// An output the client asks for by name.
public struct RequestedOutput: Codable, Sendable, Equatable {
    public var name: String
    public var parameters: [String: JSONValue]?
}

/// `POST /v2/models/{name}[/versions/{v}]/infer` request body.
public struct InferRequest: Codable, Sendable, Equatable {
    public var id: String?
    public var parameters: [String: JSONValue]?
    public var inputs: [InferTensor]
    public var outputs: [RequestedOutput]?
}

/// The inference response body.
public struct InferResponse: Codable, Sendable, Equatable {
    public var modelName: String
    public var modelVersion: String?
    public var id: String?
    public var parameters: [String: JSONValue]?
    public var outputs: [InferTensor]

    public init(modelName: String, modelVersion: String?, id: String?, parameters: [String: JSONValue]?, outputs: [InferTensor]) {
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.id = id
        self.parameters = parameters
        self.outputs = outputs
    }

    enum CodingKeys: String, CodingKey {
        case modelName = "model_name", modelVersion = "model_version", id, parameters, outputs
    }
}

/// The values of an input tensor after its datatype, shape and data were checked.
public enum DecodedTensor: Sendable, Equatable {
    case numbers([Double], shape: [Int], datatype: String)
    case strings([String], shape: [Int])

    var shape: [Int] {
        switch self {
        case let .numbers(_, shape, _), let .strings(_, shape): return shape
        }
    }
}

/// Reading and writing Open Inference Protocol tensors.
public enum InferenceCodec {
    /// The datatypes the protocol names; all but FP16 and BF16 are read.
    static let integerRanges: [String: ClosedRange<Double>] = [
        "INT8": -128...127, "INT16": -32768...32767, "INT32": -2_147_483_648...2_147_483_647,
        "INT64": -9_007_199_254_740_992...9_007_199_254_740_992, "UINT8": 0...255, "UINT16": 0...65535,
        "UINT32": 0...4_294_967_295, "UINT64": 0...9_007_199_254_740_992,
    ]

    static func invalid(_ message: String) -> PlatformError { PlatformError(.badRequest, code: "invalid_input", message) }

    /// Checks one input: a known datatype, a shape of non-negative dimensions, data whose element count matches
    /// the shape (nested data must nest as the shape), values of the datatype, no NaN or infinity.
    public static func decode(_ tensor: InferTensor) throws -> DecodedTensor {
        let name = "input '\(tensor.name)'"
        guard tensor.shape.allSatisfy({ $0 >= 0 }), !tensor.shape.isEmpty else {
            throw invalid("\(name): shape \(tensor.shape) must list one or more non-negative dimensions")
        }
        let count = tensor.shape.reduce(1, *)
        var flat: [JSONValue] = []
        flat.reserveCapacity(count)
        try flatten(tensor.data, into: &flat, depth: 0, shape: tensor.shape, name: name)
        guard flat.count == count else {
            throw invalid("\(name): shape \(tensor.shape) holds \(count) elements but data has \(flat.count)")
        }
        switch tensor.datatype {
        case "BYTES":
            return .strings(try flat.map { value in
                guard let s = value.stringValue else { throw invalid("\(name): BYTES data must be strings, got \(value)") }
                return s
            }, shape: tensor.shape)
        case "BOOL":
            return .numbers(try flat.map { value in
                guard let b = value.boolValue else { throw invalid("\(name): BOOL data must be true or false, got \(value)") }
                return b ? 1 : 0
            }, shape: tensor.shape, datatype: "BOOL")
        case "FP32", "FP64":
            return .numbers(try flat.map { value in
                guard let d = value.doubleValue else {
                    throw invalid("\(name): \(tensor.datatype) data must be numbers, got \(value)")
                }
                guard d.isFinite, tensor.datatype == "FP64" || abs(d) <= Double(Float.greatestFiniteMagnitude) else {
                    throw invalid("\(name): \(d) is not a finite \(tensor.datatype) value")
                }
                return d
            }, shape: tensor.shape, datatype: tensor.datatype)
        case let type where integerRanges[type] != nil:
            let range = integerRanges[type]!
            return .numbers(try flat.map { value in
                guard let d = value.doubleValue, d.rounded() == d, range.contains(d) else {
                    throw invalid("\(name): \(type) data must be whole numbers in \(Int64(range.lowerBound))…\(UInt64(range.upperBound)), got \(value)")
                }
                return d
            }, shape: tensor.shape, datatype: type)
        default:
            throw invalid("\(name): datatype '\(tensor.datatype)' is not one of BOOL, INT8…INT64, UINT8…UINT64, FP32, FP64, BYTES")
        }
    }

    /// Appends the leaves of nested arrays; nested data must follow the shape.
    static func flatten(_ value: JSONValue, into flat: inout [JSONValue], depth: Int, shape: [Int], name: String) throws {
        guard case let .array(items) = value else {
            guard depth > 0 else { throw invalid("\(name): data must be an array") }
            flat.append(value)
            return
        }
        let nested = items.contains { if case .array = $0 { return true } else { return false } }
        if depth > 0 || nested {
            guard depth < shape.count, items.count == shape[depth] else {
                throw invalid("\(name): nested data does not follow shape \(shape) at depth \(depth)")
            }
        }
        if nested {
            for item in items { try flatten(item, into: &flat, depth: depth + 1, shape: shape, name: name) }
        } else {
            if depth > 0 && depth != shape.count - 1 {
                throw invalid("\(name): nested data does not follow shape \(shape) at depth \(depth)")
            }
            flat.append(contentsOf: items)
        }
    }

    /// A float tensor output.
    static func floats(_ name: String, _ values: [Float], shape: [Int]) -> InferTensor {
        InferTensor(name: name, shape: shape, datatype: "FP32",
                    data: .array(values.map { .number(Double(String(describing: $0)) ?? Double($0)) }))
    }
}
