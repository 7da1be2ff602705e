import KouziTensor

/// A Transformer encoder block as PyTorch's `nn.TransformerEncoderLayer(batch_first=True)`:
/// self-attention and a two-layer feed-forward network, each with a residual connection, dropout and
/// layer normalisation — after the residual (post-norm, the default) or before the sub-layer
/// (pre-norm, `normFirst`).
public final class TransformerEncoderLayer: Layer {
    public let modelDim: Int
    public let heads: Int
    public let feedforwardDim: Int
    public let dropoutRate: Float
    public let activation: Activation
    public let normFirst: Bool
    public let epsilon: Float

    public let selfAttention: MultiHeadAttention
    public let linear1: Dense
    public let linear2: Dense
    public let norm1: LayerNorm
    public let norm2: LayerNorm
    let dropout: Dropout?
    let dropout1: Dropout?
    let dropout2: Dropout?

    public init(modelDim: Int, heads: Int, feedforwardDim: Int = 2048, dropout: Float = 0.1,
                activation: Activation = .relu, normFirst: Bool = false, epsilon: Float = 1e-5, seed: UInt64? = nil) {
        precondition(modelDim > 0 && heads > 0 && modelDim % heads == 0, "modelDim \(modelDim) must split into \(heads) heads")
        let s = seed ?? WeightSeed.next()
        self.modelDim = modelDim
        self.heads = heads
        self.feedforwardDim = feedforwardDim
        self.dropoutRate = dropout
        self.activation = activation
        self.normFirst = normFirst
        self.epsilon = epsilon
        selfAttention = MultiHeadAttention(heads: heads, dropout: dropout, inputDim: modelDim, seed: s)
        linear1 = Dense(feedforwardDim, activation: activation, inputSize: modelDim, seed: s &+ 2)
        linear2 = Dense(modelDim, inputSize: feedforwardDim, seed: s &+ 3)
        norm1 = LayerNorm(epsilon: epsilon, features: modelDim)
        norm2 = LayerNorm(epsilon: epsilon, features: modelDim)
        self.dropout = dropout > 0 ? Dropout(dropout, seed: s &+ 4) : nil
        dropout1 = dropout > 0 ? Dropout(dropout, seed: s &+ 5) : nil
        dropout2 = dropout > 0 ? Dropout(dropout, seed: s &+ 6) : nil
    }

    public var name: String { "TransformerEncoderLayer" }

    /// Encodes `[batch, steps, modelDim]`; `keyPaddingMask` `[batch, steps]` marks real steps with 1.
    public func callAsFunction(_ x: Tensor, keyPaddingMask: Tensor?, attentionMask: Tensor? = nil, causal: Bool = false) throws -> Tensor {
        guard x.rank == 3, x.shape[2] == modelDim else {
            throw NNError.invalidInput(layer: name, expected: "[batch, steps, \(modelDim)]", got: x.shape)
        }
        func attend(_ h: Tensor) throws -> Tensor {
            let a = try selfAttention(query: h, key: h, value: h, keyPaddingMask: keyPaddingMask,
                                      attentionMask: attentionMask, causal: causal)
            return try dropout1.map { try $0(a) } ?? a
        }
        func feedForward(_ h: Tensor) throws -> Tensor {
            var f = try linear1(h)
            if let dropout { f = try dropout(f) }
            f = try linear2(f)
            return try dropout2.map { try $0(f) } ?? f
        }
        if normFirst {
            let h = try x + attend(norm1(x))
            return try h + feedForward(norm2(h))
        }
        let h = try norm1(x + attend(x))
        return try norm2(h + feedForward(h))
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor { try self(input, keyPaddingMask: nil) }

    public func forward(_ input: Tensor, mask: Tensor?) throws -> (output: Tensor, mask: Tensor?) {
        (try self(input, keyPaddingMask: mask), mask)
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 3, inputShape[2] == modelDim else {
            throw NNError.invalidInput(layer: name, expected: "[batch, steps, \(modelDim)]", got: inputShape)
        }
        return inputShape
    }
}
