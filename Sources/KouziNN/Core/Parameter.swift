import KouziTensor

/// A trainable (or persistent, non-trainable) tensor owned by a layer.
///
/// Layers declare parameters with the ``Param`` property wrapper; models and optimisers find them
/// by reflection, so a custom layer needs no registration code.
public final class Parameter: @unchecked Sendable {
    /// The current value; a leaf of the autograd graph when ``trainable``.
    public private(set) var value: Tensor
    /// Whether optimisers update this parameter (false for running statistics and other state).
    public let trainable: Bool

    /// Creates a parameter holding `value`.
    public init(_ value: Tensor, trainable: Bool = true) {
        self.trainable = trainable
        self.value = value
        if trainable { self.value.requiresGrad = true }
    }

    /// The gradient accumulated by the last backward passes, if any.
    public var grad: Tensor? { value.grad }

    /// Clears the gradient.
    public func zeroGrad() { value.zeroGrad() }

    /// Replaces the value (shape may change, e.g. when a lazy layer builds); keeps it a graph leaf.
    ///
    /// A value that is already a leaf requiring gradients is taken as is, sharing its gradient slot
    /// with the caller's tensor; any other value is detached from its graph.
    public func assign(_ newValue: Tensor) {
        if trainable && newValue.requiresGrad && newValue.isLeaf {
            value = newValue
            return
        }
        value = newValue.detached()
        if trainable { value.requiresGrad = true }
    }

    /// Updates the value in place without recording the graph (optimisers, loading weights).
    /// The gradient slot is kept.
    public func update(_ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        value.withUnsafeMutableFloats(body)
    }
}

/// Declares a layer's parameter: `@Param var kernel: Tensor`.
///
/// ```swift
/// final class Scale: Layer {
///     @Param var factor = Tensor.ones([1])
///     func callAsFunction(_ x: Tensor) throws -> Tensor { x * factor }
/// }
/// ```
@propertyWrapper
public struct Param: @unchecked Sendable {
    /// The underlying parameter object (reach it as `$name`).
    public let projectedValue: Parameter

    /// A trainable parameter with an initial value.
    public init(wrappedValue: Tensor) { projectedValue = Parameter(wrappedValue) }

    /// A parameter with an initial value and trainability.
    public init(wrappedValue: Tensor, trainable: Bool) { projectedValue = Parameter(wrappedValue, trainable: trainable) }

    /// An empty parameter, assigned when the layer builds.
    public init() { projectedValue = Parameter(Tensor.zeros([0])) }

    public var wrappedValue: Tensor {
        get { projectedValue.value }
        nonmutating set { projectedValue.assign(newValue) }
    }
}
