/// The element type of a ``Tensor``.
///
/// Float32 carries all differentiable arithmetic; Int32 and Int64 carry labels and indices.
public enum DType: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case float32
    case int32
    case int64

    /// Size of one element in bytes.
    public var byteSize: Int {
        switch self {
        case .float32, .int32: return 4
        case .int64: return 8
        }
    }

    /// The dtype name used by the safetensors format (`F32`, `I32`, `I64`).
    public var safetensorsName: String {
        switch self {
        case .float32: return "F32"
        case .int32: return "I32"
        case .int64: return "I64"
        }
    }

    /// Parses a safetensors dtype name.
    public init?(safetensorsName: String) {
        switch safetensorsName {
        case "F32": self = .float32
        case "I32": self = .int32
        case "I64": self = .int64
        default: return nil
        }
    }

    public var description: String { rawValue }
}

/// A Swift scalar type that can be stored in a ``Tensor``.
public protocol TensorScalar: Numeric, Sendable {
    /// The tensor dtype of this scalar type.
    static var dtype: DType { get }
}

extension Float: TensorScalar { public static var dtype: DType { .float32 } }
extension Int32: TensorScalar { public static var dtype: DType { .int32 } }
extension Int64: TensorScalar { public static var dtype: DType { .int64 } }
