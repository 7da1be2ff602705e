import KouziTensor

/// A loss function: predictions and targets in, a scalar tensor (mean over the batch) out.
///
/// ```swift
/// let loss = try Loss.sparseCategoricalCrossentropy()(model(x), labels)
/// ```
public struct Loss: Sendable, CustomStringConvertible {
    /// The loss's name, as written in model specs (`"mse"`, `"sparse_categorical_crossentropy"` …).
    public let name: String
    /// Settings that identify the loss (for saving).
    public let options: [String: Double]
    private let body: @Sendable (Tensor, Tensor) throws -> Tensor

    /// A custom loss.
    public init(name: String, options: [String: Double] = [:], _ body: @escaping @Sendable (Tensor, Tensor) throws -> Tensor) {
        self.name = name
        self.options = options
        self.body = body
    }

    /// Computes the loss; throws when predictions and targets do not fit.
    public func callAsFunction(_ predictions: Tensor, _ targets: Tensor) throws -> Tensor {
        try body(predictions, targets)
    }

    public var description: String { name }

    /// Whether the loss takes integer class ids as targets.
    public var usesSparseLabels: Bool { name == "sparse_categorical_crossentropy" }
}

extension Loss {
    /// Mean squared error.
    public static let meanSquaredError = Loss(name: "mse") { p, t in
        let t = try sameShape("mse", p, t)
        return (p - t).square().mean()
    }

    /// Mean absolute error.
    public static let meanAbsoluteError = Loss(name: "mae") { p, t in
        let t = try sameShape("mae", p, t)
        return (p - t).abs().mean()
    }

    /// Huber loss: quadratic within `delta`, linear outside.
    public static func huber(delta: Float = 1) -> Loss {
        Loss(name: "huber", options: ["delta": Double(delta)]) { p, t in
            let t = try sameShape("huber", p, t)
            let e = (p - t).abs()
            let quad = e.clamped(max: delta)
            return (quad.square() * 0.5 + (e - quad) * delta).mean()
        }
    }

    /// Binary cross-entropy on probabilities, or on logits when `fromLogits` (stable form).
    public static func binaryCrossentropy(fromLogits: Bool = false) -> Loss {
        Loss(name: "binary_crossentropy", options: ["from_logits": fromLogits ? 1 : 0]) { p, t in
            let t = try sameShape("binary_crossentropy", p, t)
            if fromLogits { return bceWithLogits(p, t) }
            let eps: Float = 1e-7
            let q = p.clamped(min: eps, max: 1 - eps)
            return -(t * q.log() + (1 - t) * (1 - q).log()).mean()
        }
    }

    /// Cross-entropy against one-hot (or soft) targets `[N, C]`.
    public static func categoricalCrossentropy(fromLogits: Bool = false) -> Loss {
        Loss(name: "categorical_crossentropy", options: ["from_logits": fromLogits ? 1 : 0]) { p, t in
            let t = try sameShape("categorical_crossentropy", p, t)
            let logp = fromLogits ? p.logSoftmax() : p.clamped(min: 1e-7, max: 1).log()
            return -(t * logp).sum(axis: -1).mean()
        }
    }

    /// Cross-entropy against integer class ids `[N]` for predictions `[N, C]`.
    public static func sparseCategoricalCrossentropy(fromLogits: Bool = false) -> Loss {
        Loss(name: "sparse_categorical_crossentropy", options: ["from_logits": fromLogits ? 1 : 0]) { p, t in
            let labels = try sparseLabels("sparse_categorical_crossentropy", p, t)
            let logp = fromLogits ? p.logSoftmax() : p.clamped(min: 1e-7, max: 1).log()
            return -logp.pick(labels).mean()
        }
    }

    /// Looks a loss up by the name used in specs and files.
    public init(named name: String, options: [String: Double] = [:]) throws {
        let logits = (options["from_logits"] ?? 0) != 0
        switch name.lowercased() {
        case "mse", "mean_squared_error", "meansquarederror": self = .meanSquaredError
        case "mae", "mean_absolute_error", "meanabsoluteerror": self = .meanAbsoluteError
        case "huber": self = .huber(delta: Float(options["delta"] ?? 1))
        case "binary_crossentropy", "bce", "binarycrossentropy": self = .binaryCrossentropy(fromLogits: logits)
        case "categorical_crossentropy", "categoricalcrossentropy": self = .categoricalCrossentropy(fromLogits: logits)
        case "sparse_categorical_crossentropy", "sparsecategoricalcrossentropy", "cross_entropy":
            self = .sparseCategoricalCrossentropy(fromLogits: logits)
        default:
            throw NNError.unknownName(kind: "loss", name: name, known: [
                "mse", "mae", "huber", "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy"])
        }
    }
}

/// Checks that targets match predictions (a `[N]` target is accepted for `[N, 1]` predictions).
func sameShape(_ loss: String, _ p: Tensor, _ t: Tensor) throws -> Tensor {
    let t = t.dtype == .float32 ? t : t.cast(to: .float32)
    if p.shape == t.shape { return t }
    if p.count == t.count && p.shape.first == t.shape.first { return t.reshaped(p.shape) }
    throw NNError.targetMismatch(loss: loss, predictions: p.shape, targets: t.shape)
}

/// Validates integer labels for `[N, C]` predictions.
func sparseLabels(_ loss: String, _ p: Tensor, _ t: Tensor) throws -> Tensor {
    guard p.rank == 2, t.count == p.shape[0], t.rank == 1 || (t.rank == 2 && t.shape[1] == 1) else {
        throw NNError.targetMismatch(loss: loss, predictions: p.shape, targets: t.shape)
    }
    let classes = p.shape[1]
    if t.dtype == .float32 {
        if let bad = t.scalars.first(where: { $0 != $0.rounded() }) {
            throw NNError.invalidArgument("\(loss): label \(bad) is not a whole number")
        }
    }
    if let bad = t.intScalars.first(where: { $0 < 0 || $0 >= classes }) {
        throw NNError.labelOutOfRange(label: bad, classes: classes)
    }
    return t
}

/// Stable binary cross-entropy on logits: mean(max(z,0) − z·y + log(1 + e^−|z|)), gradient σ(z) − y.
func bceWithLogits(_ z: Tensor, _ y: Tensor) -> Tensor {
    let zs = z.scalars, ys = y.scalars
    let n = Float(Swift.max(zs.count, 1))
    var total: Double = 0
    var grad = [Float](repeating: 0, count: zs.count)
    for i in zs.indices {
        let a = zs[i], t = ys[i]
        total += Double(Swift.max(a, 0) - a * t + log1pf(expf(-Swift.abs(a))))
        grad[i] = (1 / (1 + expf(-a)) - t) / n
    }
    let g = Tensor(shape: z.shape, scalars: grad)
    return Tensor.recordOperation("bce-with-logits", result: Tensor(Float(total) / n), inputs: [z, y]) { up in
        [g * up.item, nil]
    }
}

