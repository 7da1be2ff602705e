import KouziBase
import KouziNN
import KouziTensor

/// Serves any model tensor for tensor: one protocol input per model input (named as the model names them, with
/// their shapes and dtypes), one protocol output per model output. The codec of models saved without a task's
/// preprocessing — a functional graph with two inputs, a model written in code.
///
/// A model with one input also takes a single request tensor under any name.
public struct TensorCodec: ServingCodec {
    /// The codec's name in model metadata.
    public static let name = "tensors"

    let inputSpecs: [ModelFile.TensorSpec]
    let outputSpecs: [ModelFile.TensorSpec]
    public let classLabels: [String]?

    /// The codec of `model`, from its input and output signature.
    /// - Throws: when the model's signature is unknown (a subclassed model that was never built).
    public init(model: Model) throws {
        inputSpecs = model.inputSignature
        outputSpecs = try model.outputSignature
        guard !inputSpecs.isEmpty else {
            throw InferenceError.invalidInput("the model's inputs are unknown: build or fit it before serving it")
        }
        classLabels = model.classLabels
    }

    public var inputs: [InferTensorMetadata] {
        inputSpecs.map { InferTensorMetadata(name: $0.name, datatype: Self.datatype($0.dtype), shape: $0.shape) }
    }

    public var outputs: [InferTensorMetadata] {
        outputSpecs.map { InferTensorMetadata(name: $0.name, datatype: Self.datatype($0.dtype), shape: $0.shape) }
    }

    public func modelInputs(_ tensors: [InferTensor]) throws -> [Tensor] {
        guard !tensors.isEmpty else { throw InferenceCodec.invalid("the request has no inputs") }
        let names = inputSpecs.map(\.name)
        let byName: [String: InferTensor]
        if inputSpecs.count == 1 && tensors.count == 1 {
            byName = [names[0]: tensors[0]]
        } else {
            if let extra = tensors.first(where: { !names.contains($0.name) }) {
                throw InferenceCodec.invalid("unknown input '\(extra.name)' (the model takes \(names.joined(separator: ", ")))")
            }
            byName = Dictionary(tensors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        }
        var rows: Int?
        return try inputSpecs.map { spec in
            guard let tensor = byName[spec.name] else {
                throw InferenceCodec.invalid("missing input '\(spec.name)' (the model takes \(names.joined(separator: ", ")))")
            }
            guard case let .numbers(values, shape, _) = try InferenceCodec.decode(tensor) else {
                throw InferenceCodec.invalid("input '\(spec.name)': the model takes numbers (\(Self.datatype(spec.dtype)))")
            }
            guard shape.count == spec.shape.count, zip(shape, spec.shape).dropFirst().allSatisfy({ $1 < 0 || $0 == $1 }) else {
                throw InferenceCodec.invalid("input '\(spec.name)': shape \(shape) does not fit the model's \(spec.shape)")
            }
            if let rows, shape[0] != rows {
                throw InferenceCodec.invalid("input '\(spec.name)' has \(shape[0]) rows, another input \(rows)")
            }
            rows = shape[0]
            if spec.dtype == DType.int64.rawValue || spec.dtype == DType.int32.rawValue {
                return Tensor(shape: shape, values: values.map { Int64($0) }).cast(to: DType(rawValue: spec.dtype)!)
            }
            return Tensor(shape: shape, scalars: values.map { Float($0) })
        }
    }

    public func answer(_ outputs: [Tensor], rows: Int, wanted: [RequestedOutput]?) throws -> [InferTensor] {
        let all = zip(outputSpecs, outputs).map { spec, tensor in
            tensor.dtype == .float32
                ? InferenceCodec.floats(spec.name, tensor.scalars, shape: tensor.shape)
                : InferTensor(name: spec.name, shape: tensor.shape, datatype: Self.datatype(tensor.dtype.rawValue),
                              data: .array(tensor.intScalars.map { .number(Double($0)) }))
        }
        return try InferenceCodec.select(all, wanted: wanted)
    }

    /// The protocol datatype of a tensor dtype.
    static func datatype(_ dtype: String) -> String {
        switch dtype {
        case DType.int64.rawValue: return "INT64"
        case DType.int32.rawValue: return "INT32"
        default: return "FP32"
        }
    }
}
