import KouziBase
import KouziNN
import KouziTensor

/// How a deployed model reads Open Inference Protocol requests and writes its answers: the inputs and outputs it
/// announces, protocol tensors turned into the model's input tensors, and its output tensors turned into protocol
/// outputs. A task library registers one for the models it trains (a table model reads columns and answers class
/// labels; a speech model would read audio and answer words); ``TensorCodec`` serves any other model tensor for
/// tensor.
///
/// The server, batch prediction and `kouzi-infer` all go through the codec, so they answer alike.
public protocol ServingCodec: Sendable {
    /// The inputs a request gives, as protocol metadata.
    var inputs: [InferTensorMetadata] { get }
    /// The outputs an answer holds.
    var outputs: [InferTensorMetadata] { get }
    /// The class names of a classifier (for live accuracy and the console), nil for other models.
    var classLabels: [String]? { get }
    /// The model's inputs for a request: one tensor per model input, the request's rows along the first axis.
    /// - Throws: ``InferenceError/invalidInput(_:)`` naming the input at fault.
    func modelInputs(_ tensors: [InferTensor]) throws -> [Tensor]
    /// The protocol outputs of a forward pass over `rows` rows (one tensor per model output): all of them, or those
    /// a request asks for.
    func answer(_ outputs: [Tensor], rows: Int, wanted: [RequestedOutput]?) throws -> [InferTensor]
    /// Predictions for CSV rows with a header, as `kouzi predict` writes them; `forward` runs the model.
    func predictCSV(_ bytes: [UInt8], source: String, delimiter: Character,
                    forward: ([Tensor]) throws -> [Tensor]) throws -> String
    /// Explanations of a request's rows by the method `options` names (or the model kind's default), for `model`;
    /// returns the method used.
    /// - Throws: ``InferenceError/notExplainable(_:)`` when the model cannot be explained so, the input errors of
    ///   ``modelInputs(_:)`` otherwise.
    func explain(_ tensors: [InferTensor], model: Model, options: ExplainOptions) throws -> (method: String, explanations: [RowExplanation])
}

extension ServingCodec {
    public var classLabels: [String]? { nil }

    public func predictCSV(_ bytes: [UInt8], source: String, delimiter: Character,
                           forward: ([Tensor]) throws -> [Tensor]) throws -> String {
        throw InferenceError.invalidInput("\(source): this model does not read CSV rows; send an Open Inference Protocol request")
    }

    public func explain(_ tensors: [InferTensor], model: Model, options: ExplainOptions) throws -> (method: String, explanations: [RowExplanation]) {
        throw InferenceError.notExplainable("this model's answers have no explanation method: explanations cover the table, text and "
            + "image models of the supervised tasks")
    }
}

/// Builds a model's ``ServingCodec`` when the model is one of its task's (a registry entry of a task library).
public struct CodecFactory: Sendable {
    /// The codec's name; a model names its codec in its metadata under ``CodecRegistry/metadataKey``.
    public let name: String
    /// The codec for `model` (saved at `path`), or nil when the model is not of this kind.
    /// - Throws: when the model names this codec but its saved state is invalid.
    public let make: @Sendable (_ model: Model, _ path: String) throws -> (any ServingCodec)?

    /// A factory named `name`.
    public init(name: String, make: @escaping @Sendable (_ model: Model, _ path: String) throws -> (any ServingCodec)?) {
        self.name = name
        self.make = make
    }
}

/// The codecs a program knows, in order: a model's codec is the one its metadata names, else the first that takes
/// it, else ``TensorCodec``.
public struct CodecRegistry: Sendable {
    /// The metadata key under which a model names its codec.
    public static let metadataKey = "kouzi.codec"

    /// The factories, asked in order.
    public let factories: [CodecFactory]

    /// A registry of `factories`.
    public init(_ factories: [CodecFactory]) { self.factories = factories }

    /// The codec that serves `model`.
    /// - Throws: ``InferenceError/invalidModel(path:reason:)`` when the model names a codec this program does not
    ///   have, or the codec cannot read the model's saved state.
    public func codec(for model: Model, path: String) throws -> any ServingCodec {
        if let named = model.metadata[Self.metadataKey], named != TensorCodec.name {
            guard let factory = factories.first(where: { $0.name == named }) else {
                throw InferenceError.invalidModel(path: path, reason: "it is served by the '\(named)' codec, which this program does not have "
                    + "(known: \((factories.map(\.name) + [TensorCodec.name]).joined(separator: ", ")))")
            }
            guard let codec = try factory.make(model, path) else {
                throw InferenceError.invalidModel(path: path, reason: "the '\(named)' codec cannot serve it")
            }
            return codec
        }
        if model.metadata[Self.metadataKey] == nil {
            for factory in factories { if let codec = try factory.make(model, path) { return codec } }
        }
        return try TensorCodec(model: model)
    }
}
