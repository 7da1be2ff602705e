import KouziTensor

/// Layer normalisation over the last dimension with a learned scale and shift (PyTorch `nn.LayerNorm`
/// over the feature axis, Keras `LayerNormalization`).
public final class LayerNorm: Layer {
    /// Added to the variance for stability.
    public let epsilon: Float
    /// Whether the layer learns `gamma` and `beta`.
    public let affine: Bool
    /// Feature count, known once built.
    public private(set) var features: Int?

    @Param public var gamma: Tensor
    @Param public var beta: Tensor

    public init(epsilon: Float = 1e-5, affine: Bool = true, features: Int? = nil) {
        self.epsilon = epsilon
        self.affine = affine
        if let features { try? build(inputShape: [-1, features]) }
    }

    public var isBuilt: Bool { features != nil }
    public var name: String { "LayerNorm" }

    public func build(inputShape: [Int]) throws {
        guard let last = inputShape.last, last > 0 else {
            throw NNError.invalidInput(layer: name, expected: "[…, features]", got: inputShape)
        }
        if let features {
            guard features == last else { throw NNError.invalidInput(layer: name, expected: "[…, \(features)]", got: inputShape) }
            return
        }
        if affine {
            gamma = .ones([last])
            beta = .zeros([last])
        }
        features = last
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        if features == nil { try build(inputShape: input.shape) }
        guard input.dtype == .float32, input.shape.last == features else {
            throw NNError.invalidInput(layer: name, expected: "[…, \(features ?? 0)] float32", got: input.shape)
        }
        return Tensor.layerNorm(input, gamma: affine ? gamma : nil, beta: affine ? beta : nil, epsilon: epsilon)
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }
}

/// Batch normalisation over every axis but the last (channels-last), with running statistics for
/// inference.
///
/// In training it normalises with the batch's mean and (biased) variance and updates the running
/// statistics as PyTorch does: `running ← (1 − momentum)·running + momentum·batch`, with the unbiased
/// variance. In inference (``Model/predict(_:batchSize:)``, ``Model/evaluate(x:y:batchSize:)``) it
/// uses the running statistics.
public final class BatchNorm: Layer {
    /// Weight of the current batch in the running statistics (PyTorch's convention; Keras's 0.99 is 0.01 here).
    public let momentum: Float
    /// Added to the variance for stability.
    public let epsilon: Float
    /// Channel count, known once built.
    public private(set) var channels: Int?

    @Param public var gamma: Tensor
    @Param public var beta: Tensor
    @Param(wrappedValue: Tensor.zeros([0]), trainable: false) public var runningMean: Tensor
    @Param(wrappedValue: Tensor.zeros([0]), trainable: false) public var runningVariance: Tensor

    public init(momentum: Float = 0.1, epsilon: Float = 1e-5, channels: Int? = nil) {
        self.momentum = momentum
        self.epsilon = epsilon
        if let channels { try? build(inputShape: [-1, channels]) }
    }

    public var isBuilt: Bool { channels != nil }
    public var name: String { "BatchNorm" }

    public func build(inputShape: [Int]) throws {
        guard inputShape.count >= 2, let last = inputShape.last, last > 0 else {
            throw NNError.invalidInput(layer: name, expected: "[batch, …, channels]", got: inputShape)
        }
        if let channels {
            guard channels == last else { throw NNError.invalidInput(layer: name, expected: "[…, \(channels)]", got: inputShape) }
            return
        }
        gamma = .ones([last])
        beta = .zeros([last])
        runningMean = .zeros([last])
        runningVariance = .ones([last])
        channels = last
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        if channels == nil { try build(inputShape: input.shape) }
        guard input.rank >= 2, input.dtype == .float32, input.shape.last == channels else {
            throw NNError.invalidInput(layer: name, expected: "[batch, …, \(channels ?? 0)] float32", got: input.shape)
        }
        let axes = Array(0..<(input.rank - 1))
        if LearningPhase.isTraining {
            let n = input.count / channels!
            guard n > 1 else {
                throw NNError.invalidInput(layer: name, expected: "more than one value per channel in training", got: input.shape)
            }
            let mean = input.mean(axes: axes)
            let variance = input.variance(axes: axes)
            withoutGrad {
                let m = momentum
                runningMean = runningMean * (1 - m) + mean.detached() * m
                runningVariance = runningVariance * (1 - m) + variance.detached() * (m * Float(n) / Float(n - 1))
            }
            return (input - mean) / (variance + epsilon).sqrt() * gamma + beta
        }
        return (input - runningMean) / (runningVariance + epsilon).sqrt() * gamma + beta
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }
}
