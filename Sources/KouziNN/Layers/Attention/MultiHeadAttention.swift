import KouziTensor

/// Multi-head attention over batch-first sequences `[batch, steps, features]`, as PyTorch's
/// `nn.MultiheadAttention(batch_first=True)`: project queries, keys and values, attend per head,
/// concatenate the heads and project back.
///
/// Kernels are `[in, out]` (PyTorch's `in_proj_weight` rows transposed). As a ``Layer`` it is
/// self-attention and treats the propagated mask as a key-padding mask.
public final class MultiHeadAttention: Layer {
    /// Number of heads.
    public let heads: Int
    /// Size of each head's queries and keys.
    public let keyDim: Int
    /// Size of each head's values.
    public let valueDim: Int
    /// Output features (the model width when nil: the query's feature count).
    public let outputDim: Int?
    /// Whether the projections have biases.
    public let useBias: Bool
    /// Dropout on the attention weights.
    public let dropout: Dropout?
    /// Input features, known once built.
    public private(set) var inputDim: Int?
    private let seed: UInt64

    @Param public var queryKernel: Tensor
    @Param public var queryBias: Tensor
    @Param public var keyKernel: Tensor
    @Param public var keyBias: Tensor
    @Param public var valueKernel: Tensor
    @Param public var valueBias: Tensor
    @Param public var outputKernel: Tensor
    @Param public var outputBias: Tensor

    /// - Parameters:
    ///   - heads: number of heads; `keyDim` defaults to the model width divided by `heads`.
    public init(heads: Int, keyDim: Int? = nil, valueDim: Int? = nil, outputDim: Int? = nil, dropout: Float = 0,
                useBias: Bool = true, inputDim: Int? = nil, seed: UInt64? = nil) {
        precondition(heads > 0, "MultiHeadAttention needs at least one head")
        self.heads = heads
        self.keyDim = keyDim ?? 0
        self.valueDim = valueDim ?? keyDim ?? 0
        self.outputDim = outputDim
        self.useBias = useBias
        self.seed = seed ?? WeightSeed.next()
        self.dropout = dropout > 0 ? Dropout(dropout, seed: self.seed &+ 1) : nil
        if let inputDim { try? build(inputShape: [-1, -1, inputDim]) }
    }

    public var isBuilt: Bool { inputDim != nil }
    public var name: String { "MultiHeadAttention" }

    /// Head sizes resolved for a model width.
    func dims(_ width: Int) -> (key: Int, value: Int, out: Int) {
        let k = keyDim > 0 ? keyDim : width / heads
        return (k, valueDim > 0 ? valueDim : k, outputDim ?? width)
    }

    public func build(inputShape: [Int]) throws {
        guard inputShape.count == 3, let width = inputShape.last, width > 0 else {
            throw NNError.invalidInput(layer: name, expected: "[batch, steps, features]", got: inputShape)
        }
        if let inputDim {
            guard inputDim == width else { throw NNError.invalidInput(layer: name, expected: "[batch, steps, \(inputDim)]", got: inputShape) }
            return
        }
        let (k, v, out) = dims(width)
        guard k > 0, keyDim > 0 || width % heads == 0 else {
            throw NNError.invalidConfig("MultiHeadAttention: \(width) features cannot be split into \(heads) heads")
        }
        var g = SeededGenerator(seed: seed)
        func kernel(_ i: Int, _ o: Int) -> Tensor { Initializer.glorotUniform.make([i, o], fanIn: i, fanOut: o, using: &g) }
        queryKernel = kernel(width, heads * k)
        keyKernel = kernel(width, heads * k)
        valueKernel = kernel(width, heads * v)
        outputKernel = kernel(heads * v, out)
        if useBias {
            queryBias = .zeros([heads * k]); keyBias = .zeros([heads * k])
            valueBias = .zeros([heads * v]); outputBias = .zeros([out])
        }
        inputDim = width
    }

    /// Attends from `query` `[batch, Tq, features]` to `key`/`value` `[batch, Tk, features]`.
    ///
    /// - Parameters:
    ///   - keyPaddingMask: `[batch, Tk]`, 1 for real keys and 0 for padding.
    ///   - attentionMask: 1 where allowed, broadcastable to `[batch, heads, Tq, Tk]` (e.g. `[Tq, Tk]`).
    ///   - causal: block keys after each query (self-attention in a decoder).
    public func callAsFunction(query: Tensor, key: Tensor, value: Tensor, keyPaddingMask: Tensor? = nil,
                               attentionMask: Tensor? = nil, causal: Bool = false) throws -> Tensor {
        if inputDim == nil { try build(inputShape: query.shape) }
        let width = inputDim!
        for (label, t) in [("query", query), ("key", key), ("value", value)] {
            guard t.rank == 3, t.shape[2] == width, t.dtype == .float32 else {
                throw NNError.invalidInput(layer: "\(name) \(label)", expected: "[batch, steps, \(width)] float32", got: t.shape)
            }
        }
        let b = query.shape[0], tq = query.shape[1], tk = key.shape[1]
        guard key.shape[0] == b, value.shape[0] == b, value.shape[1] == tk else {
            throw NNError.invalidInput(layer: name, expected: "key and value [\(b), Tk, \(width)] with equal Tk", got: key.shape + value.shape)
        }
        let (k, v, _) = dims(width)
        func split(_ x: Tensor, _ kernel: Tensor, _ bias: Tensor, _ size: Int, _ steps: Int) -> Tensor {
            Tensor.linear(x, weight: kernel, bias: useBias ? bias : nil).reshaped([b, steps, heads, size]).permuted([0, 2, 1, 3])
        }
        let q = split(query, queryKernel, queryBias, k, tq)
        let kk = split(key, keyKernel, keyBias, k, tk)
        let vv = split(value, valueKernel, valueBias, v, tk)
        var mask = attentionMask
        if let pad = keyPaddingMask {
            guard pad.shape == [b, tk] else {
                throw NNError.invalidInput(layer: "\(name) key padding mask", expected: "[\(b), \(tk)]", got: pad.shape)
            }
            let p = pad.cast(to: .float32).reshaped([b, 1, 1, tk])
            mask = mask.map { $0 * p } ?? p
        }
        let context = try Attention.scaledDotProduct(query: q, key: kk, value: vv, mask: mask, causal: causal, dropout: dropout)
        let merged = context.permuted([0, 2, 1, 3]).reshaped([b, tq, heads * v])
        return Tensor.linear(merged, weight: outputKernel, bias: useBias ? outputBias : nil)
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try self(query: input, key: input, value: input)
    }

    public func forward(_ input: Tensor, mask: Tensor?) throws -> (output: Tensor, mask: Tensor?) {
        (try self(query: input, key: input, value: input, keyPaddingMask: mask), mask)
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 3, let width = inputShape.last else {
            throw NNError.invalidInput(layer: name, expected: "[batch, steps, features]", got: inputShape)
        }
        return [inputShape[0], inputShape[1], dims(width).out]
    }
}
