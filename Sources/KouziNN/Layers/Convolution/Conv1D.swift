import KouziTensor

/// A 1-D convolution over channels-last sequences: `activation(conv(x, kernel) + bias)`.
///
/// Input `[batch, steps, channels]`, output `[batch, outSteps, filters]`. The kernel is
/// `[kernelSize, channels / groups, filters]` (PyTorch's `weight` permuted `(2, 1, 0)`). It runs the
/// 2-D convolution on images one row high (`Tensor.conv1d`). Explicit padding is `[n]` or `[left, right]`.
///
/// ```swift
/// let conv = Conv1D(16, kernelSize: 5, padding: .same, activation: .relu)
/// let y = try conv(Tensor.zeros([4, 100, 8]))   // [4, 100, 16]
/// ```
public final class Conv1D: Layer {
    /// Output channels.
    public let filters: Int
    /// Window length.
    public let kernelSize: Int
    /// Step between window positions.
    public let strides: Int
    /// Border handling.
    public let padding: ConvPadding
    /// Spacing of the window taps.
    public let dilation: Int
    /// Channel groups convolved separately.
    public let groups: Int
    /// Activation applied after the bias.
    public let activation: Activation
    /// Whether a bias is added.
    public let useBias: Bool
    /// Scheme for the kernel.
    public let kernelInitializer: Initializer
    /// Input channels, known once built.
    public private(set) var inputChannels: Int?
    let seed: UInt64

    /// The kernel, `[kernelSize, inputChannels / groups, filters]`.
    @Param public var kernel: Tensor
    /// The bias, `[filters]` (empty without `useBias`).
    @Param public var bias: Tensor

    /// Creates a convolution; `inputChannels` nil defers building to the first call.
    public init(_ filters: Int, kernelSize: Int, strides: Int = 1, padding: ConvPadding = .valid, dilation: Int = 1,
                groups: Int = 1, activation: Activation = .linear, useBias: Bool = true,
                kernelInitializer: Initializer = .glorotUniform, inputChannels: Int? = nil, seed: UInt64? = nil) {
        precondition(filters > 0 && kernelSize > 0 && strides > 0 && dilation > 0,
                     "Conv1D needs positive filters, kernel size, strides and dilation")
        precondition(groups > 0 && filters % groups == 0, "Conv1D: filters (\(filters)) must divide into \(groups) groups")
        precondition(padding.isWellFormed(sides: [1, 2]), "Conv1D: explicit padding takes 1 or 2 non-negative values")
        self.filters = filters
        self.kernelSize = kernelSize
        self.strides = strides
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        self.activation = activation
        self.useBias = useBias
        self.kernelInitializer = kernelInitializer
        self.seed = seed ?? WeightSeed.next()
        if let inputChannels { try? build(inputShape: [-1, -1, inputChannels]) }
    }

    public var isBuilt: Bool { inputChannels != nil }

    public var name: String { "Conv1D" }

    var label: String { "Conv1D(\(filters), \(kernelSize))" }

    public func build(inputShape: [Int]) throws {
        try checkChannels(inputShape)
        if inputChannels != nil { return }
        let c = inputShape[2]
        var g = SeededGenerator(seed: seed)
        kernel = kernelInitializer.make([kernelSize, c / groups, filters], fanIn: kernelSize * c / groups,
                                        fanOut: kernelSize * filters / groups, using: &g)
        if useBias { bias = .zeros([filters]) }
        inputChannels = c
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        _ = try outputShape(for: input.shape)
        if inputChannels == nil { try build(inputShape: input.shape) }
        guard input.dtype == .float32 else {
            throw NNError.invalidInput(layer: label, expected: "float32 sequences", got: input.shape)
        }
        let y = input.conv1d(kernel: kernel, bias: useBias ? bias : nil, stride: strides, padding: padding,
                             dilation: dilation, groups: groups)
        return activation(y)
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        try checkChannels(inputShape)
        if inputShape[1] < 0 { return [inputShape[0], -1, filters] }
        let shape2D = [Swift.max(inputShape[0], 1), 1, inputShape[1], inputShape[2]]
        guard let geo = WindowGeometry.make(inputShape: shape2D, kernel: (1, kernelSize), strides: (1, strides),
                                            padding: padding.alongWidth, dilation: (1, dilation)) else {
            throw NNError.invalidInput(layer: label, expected: "[batch, steps, channels] with at least as many steps as the dilated window (padding \(padding))", got: inputShape)
        }
        return [inputShape[0], geo.outWidth, filters]
    }

    func checkChannels(_ inputShape: [Int]) throws {
        let want = inputChannels.map { "\($0)" } ?? "channels"
        guard inputShape.count == 3, inputShape[2] > 0, inputShape[2] % groups == 0,
              inputChannels == nil || inputShape[2] == inputChannels else {
            throw NNError.invalidInput(layer: label, expected: "[batch, steps, \(want)] (channels divisible by \(groups) group(s))", got: inputShape)
        }
    }
}

extension Conv1D: SerializableLayer {
    public static var typeName: String { "Conv1D" }

    public var config: [String: JSONValue] {
        var c: [String: JSONValue] = [
            "filters": .number(Double(filters)), "kernel_size": .number(Double(kernelSize)),
            "strides": .number(Double(strides)), "padding": padding.json, "dilation_rate": .number(Double(dilation)),
            "groups": .number(Double(groups)), "activation": .string(activation.rawValue), "use_bias": .bool(useBias),
            "kernel_initializer": .string(kernelInitializer.rawValue),
        ]
        if let inputChannels { c["input_channels"] = .number(Double(inputChannels)) }
        return c
    }

    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["filters", "kernel_size", "strides", "padding", "dilation_rate", "groups", "activation",
                              "use_bias", "kernel_initializer", "input_channels", "seed"])
        let filters = try config.positive("filters", default: nil) ?? { throw NNError.invalidConfig("Conv1D: missing field 'filters'") }()
        let kernelSize = try config.positive("kernel_size", default: nil) ?? { throw NNError.invalidConfig("Conv1D: missing field 'kernel_size'") }()
        let groups = try config.positive("groups", default: 1)!
        guard filters % groups == 0 else {
            throw NNError.invalidConfig("Conv1D: 'filters' (\(filters)) must be divisible by 'groups' (\(groups))")
        }
        self.init(filters, kernelSize: kernelSize, strides: try config.positive("strides", default: 1)!,
                  padding: try config.padding(sides: [1, 2]), dilation: try config.positive("dilation_rate", default: 1)!,
                  groups: groups, activation: try Activation(named: config.string("activation", default: "linear")!),
                  useBias: try config.bool("use_bias", default: true),
                  kernelInitializer: try Initializer(named: config.string("kernel_initializer", default: "glorot_uniform")!),
                  inputChannels: try config.positive("input_channels", default: nil),
                  seed: try config.int("seed", default: nil).map { UInt64(truncatingIfNeeded: $0) })
    }
}
