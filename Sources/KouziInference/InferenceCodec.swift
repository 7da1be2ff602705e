import KouziBase
import Foundation
import KouziNN

/// The values of an input tensor after its datatype, shape and data were checked.
public enum DecodedTensor: Sendable, Equatable {
    /// Numbers (BOOL as 0 and 1) with their shape and datatype.
    case numbers([Double], shape: [Int], datatype: String)
    /// BYTES as strings with their shape.
    case strings([String], shape: [Int])

    /// The tensor's shape.
    package var shape: [Int] {
        switch self {
        case let .numbers(_, shape, _), let .strings(_, shape): return shape
        }
    }
}

/// Reading and writing Open Inference Protocol tensors.
public enum InferenceCodec {
    /// The outputs a request asks for, in its order; all of them when it names none.
    package static func select(_ all: [InferTensor], wanted: [RequestedOutput]?) throws -> [InferTensor] {
        guard let wanted, !wanted.isEmpty else { return all }
        return try wanted.map { output in
            guard let found = all.first(where: { $0.name == output.name }) else {
                throw invalid("unknown output '\(output.name)' (outputs: \(all.map(\.name).joined(separator: ", ")))")
            }
            return found
        }
    }

    /// The datatypes the protocol names; all but FP16 and BF16 are read.
    static let integerRanges: [String: ClosedRange<Double>] = [
        "INT8": -128...127, "INT16": -32768...32767, "INT32": -2_147_483_648...2_147_483_647,
        "INT64": -9_007_199_254_740_992...9_007_199_254_740_992, "UINT8": 0...255, "UINT16": 0...65535,
        "UINT32": 0...4_294_967_295, "UINT64": 0...9_007_199_254_740_992,
    ]

    /// The error of a request that does not fit the protocol or the model.
    package static func invalid(_ message: String) -> InferenceError { .invalidInput(message) }

    /// Checks one input: a known datatype, a shape of non-negative dimensions, data whose element count matches
    /// the shape (nested data must nest as the shape), values of the datatype, no NaN or infinity.
    public static func decode(_ tensor: InferTensor) throws -> DecodedTensor {
        let name = "input '\(tensor.name)'"
        guard tensor.shape.allSatisfy({ $0 >= 0 }), !tensor.shape.isEmpty else {
            throw invalid("\(name): shape \(tensor.shape) must list one or more non-negative dimensions")
        }
        // The shape comes from outside: its product may overflow, and nothing is reserved from it (a shape of
        // 10^16 elements with three values of data must be an error, not an allocation).
        var count = 1
        for dimension in tensor.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw invalid("\(name): shape \(tensor.shape) holds more elements than can be counted") }
            count = product
        }
        var flat: [JSONValue] = []
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
    package static func floats(_ name: String, _ values: [Float], shape: [Int]) -> InferTensor {
        InferTensor(name: name, shape: shape, datatype: "FP32",
                    data: .array(values.map { .number(Double(String(describing: $0)) ?? Double($0)) }))
    }
}
