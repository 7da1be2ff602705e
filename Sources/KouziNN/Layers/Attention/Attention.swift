import KouziTensor

/// Attention masks and scaled dot-product attention.
public enum Attention {
    /// A causal mask `[steps, steps]`: 1 where a query may attend (keys at or before it), 0 after it.
    public static func causalMask(_ steps: Int) -> Tensor {
        var m = [Float](repeating: 0, count: steps * steps)
        for i in 0..<steps { for j in 0...i { m[i * steps + j] = 1 } }
        return Tensor(shape: [steps, steps], scalars: m)
    }

    /// `softmax(q·kᵀ / √d + bias) · v` over the last two dimensions.
    ///
    /// - Parameters:
    ///   - query: `[…, Tq, d]`; `key`: `[…, Tk, d]`; `value`: `[…, Tk, dv]` (same leading dimensions).
    ///   - mask: 1 where attention is allowed, 0 where blocked; any shape that broadcasts to
    ///     `[…, Tq, Tk]` (a key-padding mask `[batch, Tk]` must be reshaped to `[batch, 1, 1, Tk]`
    ///     for 4-D inputs). Blocked positions get a bias of −10⁹, so a row with at least one allowed
    ///     key gives exactly PyTorch's result.
    ///   - causal: also block keys after each query.
    ///   - dropout: applied to the attention weights in training.
    /// - Returns: the attended values `[…, Tq, dv]`.
    public static func scaledDotProduct(query: Tensor, key: Tensor, value: Tensor, mask: Tensor? = nil,
                                        causal: Bool = false, dropout: Dropout? = nil) throws -> Tensor {
        guard query.rank >= 2, key.rank == query.rank, value.rank == query.rank,
              query.shape.last == key.shape.last, key.shape[key.rank - 2] == value.shape[value.rank - 2],
              Array(query.shape.dropLast(2)) == Array(key.shape.dropLast(2)),
              Array(key.shape.dropLast(2)) == Array(value.shape.dropLast(2)) else {
            throw NNError.invalidInput(layer: "attention", expected: "query […, Tq, d], key […, Tk, d], value […, Tk, dv]",
                                       got: query.shape + [-1] + key.shape + [-1] + value.shape)
        }
        let d = query.shape[query.rank - 1], tq = query.shape[query.rank - 2], tk = key.shape[key.rank - 2]
        // Scale the queries rather than the scores: Tq·d values instead of Tq·Tk.
        var scores = (query * (1 / Float(d).squareRoot())).matmul(key, transposeB: true)
        var allowed = mask
        if causal {
            guard tq == tk else {
                throw NNError.invalidArgument("attention: a causal mask needs as many queries as keys, got \(tq) and \(tk)")
            }
            let c = causalMask(tq)
            allowed = allowed.map { $0 * c } ?? c
        }
        if let allowed {
            guard let shape = Shape.broadcast(allowed.shape, scores.shape), shape == scores.shape else {
                throw NNError.invalidInput(layer: "attention", expected: "a mask broadcastable to \(scores.shape)", got: allowed.shape)
            }
            scores = scores + (allowed.detached() - 1) * 1e9
        }
        var weights = scores.softmax(axis: -1)
        if let dropout { weights = try dropout(weights) }
        return weights.matmul(value)
    }
}
