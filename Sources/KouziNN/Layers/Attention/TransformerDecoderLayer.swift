import KouziTensor

/// A Transformer decoder block as PyTorch's `nn.TransformerDecoderLayer(batch_first=True)`: causal
/// self-attention, attention to the encoder's output (`memory`) and a feed-forward network, each with
/// a residual connection, dropout and layer normalisation (post-norm by default, pre-norm with `normFirst`).
public final class TransformerDecoderLayer: Layer {
    public let modelDim: Int
    public let heads: Int
    public let feedforwardDim: Int
    public let normFirst: Bool

    public let selfAttention: MultiHeadAttention
    public let crossAttention: MultiHeadAttention
    public let linear1: Dense
    public let linear2: Dense
    public let norm1: LayerNorm
    public let norm2: LayerNorm
    public let norm3: LayerNorm
    let dropouts: [Dropout]

    public init(modelDim: Int, heads: Int, feedforwardDim: Int = 2048, dropout: Float = 0.1,
                activation: Activation = .relu, normFirst: Bool = false, epsilon: Float = 1e-5, seed: UInt64? = nil) {
        precondition(modelDim > 0 && heads > 0 && modelDim % heads == 0, "modelDim \(modelDim) must split into \(heads) heads")
        let s = seed ?? WeightSeed.next()
        self.modelDim = modelDim
        self.heads = heads
        self.feedforwardDim = feedforwardDim
        self.normFirst = normFirst
        selfAttention = MultiHeadAttention(heads: heads, dropout: dropout, inputDim: modelDim, seed: s)
        crossAttention = MultiHeadAttention(heads: heads, dropout: dropout, inputDim: modelDim, seed: s &+ 10)
        linear1 = Dense(feedforwardDim, activation: activation, inputSize: modelDim, seed: s &+ 2)
        linear2 = Dense(modelDim, inputSize: feedforwardDim, seed: s &+ 3)
        norm1 = LayerNorm(epsilon: epsilon, features: modelDim)
        norm2 = LayerNorm(epsilon: epsilon, features: modelDim)
        norm3 = LayerNorm(epsilon: epsilon, features: modelDim)
        dropouts = dropout > 0 ? (0..<4).map { Dropout(dropout, seed: s &+ 20 &+ UInt64($0)) } : []
    }

    public var name: String { "TransformerDecoderLayer" }

    private func drop(_ i: Int, _ x: Tensor) throws -> Tensor { dropouts.isEmpty ? x : try dropouts[i](x) }

    /// Decodes `target` `[batch, Tt, modelDim]` attending to `memory` `[batch, Tm, modelDim]`.
    ///
    /// - Parameters:
    ///   - causal: block each target step from attending to later ones (the usual decoder mask).
    ///   - targetPaddingMask: `[batch, Tt]`; `memoryPaddingMask`: `[batch, Tm]` (1 real, 0 padding).
    public func callAsFunction(_ target: Tensor, memory: Tensor, causal: Bool = true, targetPaddingMask: Tensor? = nil,
                               memoryPaddingMask: Tensor? = nil) throws -> Tensor {
        for (label, t) in [("target", target), ("memory", memory)] {
            guard t.rank == 3, t.shape[2] == modelDim else {
                throw NNError.invalidInput(layer: "\(name) \(label)", expected: "[batch, steps, \(modelDim)]", got: t.shape)
            }
        }
        func selfBlock(_ h: Tensor) throws -> Tensor {
            try drop(0, selfAttention(query: h, key: h, value: h, keyPaddingMask: targetPaddingMask, causal: causal))
        }
        func crossBlock(_ h: Tensor) throws -> Tensor {
            try drop(1, crossAttention(query: h, key: memory, value: memory, keyPaddingMask: memoryPaddingMask))
        }
        func feedForward(_ h: Tensor) throws -> Tensor { try drop(3, linear2(drop(2, linear1(h)))) }
        if normFirst {
            var h = try target + selfBlock(norm1(target))
            h = try h + crossBlock(norm2(h))
            return try h + feedForward(norm3(h))
        }
        var h = try norm1(target + selfBlock(target))
        h = try norm2(h + crossBlock(h))
        return try norm3(h + feedForward(h))
    }

    /// A decoder block needs the encoder's output: call it as `layer(target, memory: m)`.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        throw NNError.invalidArgument("TransformerDecoderLayer needs the encoder output: call it as layer(target, memory: memory)")
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }
}
