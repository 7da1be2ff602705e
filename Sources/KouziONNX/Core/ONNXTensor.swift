import Foundation
import KouziTensor

/// ONNX element types Kouzi reads and writes (`TensorProto.DataType`).
public enum ONNXElementType: Int32, Sendable {
    case float = 1, uint8 = 2, int8 = 3, int32 = 6, int64 = 7, string = 8, bool = 9, double = 11

    public init(_ dtype: DType) {
        switch dtype {
        case .float32: self = .float
        case .int32: self = .int32
        case .int64: self = .int64
        }
    }

    /// The Kouzi element type holding values of this type (booleans and doubles read as float32).
    var kouziType: DType? {
        switch self {
        case .string: return nil
        case .float, .double, .bool, .uint8, .int8: return .float32
        case .int32: return .int32
        case .int64: return .int64
        }
    }
}

extension Onnx_TensorProto {
    /// A tensor with `tensor`'s shape and values (stored as raw little-endian bytes).
    init(_ tensor: Tensor, name: String) {
        self.init()
        self.name = name
        dims = tensor.shape.map(Int64.init)
        dataType = ONNXElementType(tensor.dtype).rawValue
        switch tensor.dtype {
        case .float32: rawData = tensor.withUnsafeFloats { Data(buffer: $0) }
        case .int32: rawData = tensor.withUnsafeElements(Int32.self) { Data(buffer: $0) }
        case .int64: rawData = tensor.withUnsafeElements(Int64.self) { Data(buffer: $0) }
        }
    }

    /// An int64 tensor of `values` with the given shape (one axis by default).
    init(int64 values: [Int64], shape: [Int]? = nil, name: String) {
        self.init()
        self.name = name
        dims = (shape ?? [values.count]).map(Int64.init)
        dataType = ONNXElementType.int64.rawValue
        rawData = values.withUnsafeBytes { Data($0) }
    }
}
