import KouziTensor

/// A 2-D convolution over channels-last images: `activation(conv(x, kernel) + bias)`.
///
/// Input `[batch, height, width, channels]`, output `[batch, outHeight, outWidth, filters]`. The kernel
/// is `[kernelH, kernelW, channels / groups, filters]` (Keras' layout; PyTorch's `weight` permuted
/// `(2, 3, 1, 0)`). Without `inputChannels` the layer builds on its first input.
///
/// ```swift
/// let conv = Conv2D(32, kernelSize: 3, padding: .same, activation: .relu)
/// let y = try conv(Tensor.zeros([8, 28, 28, 1]))   // [8, 28, 28, 32]
/// ```
public final class Conv2D: Layer {
    /// Output channels.
    public let filters: Int
    /// Window size.
    public let kernelSize: WindowSize
    /// Steps between window positions.
    public let strides: WindowSize
    /// Border handling.
    public let padding: ConvPadding
    /// Spacing of the window taps.
    public let dilation: WindowSize
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

    /// The kernel, `[kernelH, kernelW, inputChannels / groups, filters]`.
    @Param public var kernel: Tensor
    /// The bias, `[filters]` (empty without `useBias`).
    @Param public var bias: Tensor

    /// Creates a convolution; `inputChannels` nil defers building to the first call.
    public init(_ filters: Int, kernelSize: WindowSize, strides: WindowSize = 1, padding: ConvPadding = .valid,
                dilation: WindowSize = 1, groups: Int = 1, activation: Activation = .linear, useBias: Bool = true,
                kernelInitializer: Initializer = .glorotUniform, inputChannels: Int? = nil, seed: UInt64? = nil) {
        precondition(filters > 0 && kernelSize.isPositive && strides.isPositive && dilation.isPositive,
                     "Conv2D needs positive filters, kernel size, strides and dilation")
        precondition(groups > 0 && filters % groups == 0, "Conv2D: filters (\(filters)) must divide into \(groups) groups")
        precondition(padding.isWellFormed(sides: [1, 2, 4]), "Conv2D: explicit padding takes 1, 2 or 4 non-negative values")
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
        if let inputChannels { try? build(inputShape: [-1, -1, -1, inputChannels]) }
    }

    public var isBuilt: Bool { inputChannels != nil }

    public var name: String { "Conv2D" }

    var label: String { "Conv2D(\(filters), \(kernelSize))" }

    public func build(inputShape: [Int]) throws {
        guard inputShape.count == 4, let c = inputShape.last, c > 0, c % groups == 0 else {
            throw NNError.invalidInput(layer: label, expected: "[batch, height, width, channels] with channels divisible by \(groups) group(s)", got: inputShape)
        }
        if let inputChannels {
            guard c == inputChannels else {
                throw NNError.invalidInput(layer: label, expected: "[batch, height, width, \(inputChannels)]", got: inputShape)
            }
            return
        }
        var g = SeededGenerator(seed: seed)
        let area = kernelSize.height * kernelSize.width
        kernel = kernelInitializer.make([kernelSize.height, kernelSize.width, c / groups, filters],
                                        fanIn: area * c / groups, fanOut: area * filters / groups, using: &g)
        if useBias { bias = .zeros([filters]) }
        inputChannels = c
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        _ = try outputShape(for: input.shape)
        if inputChannels == nil { try build(inputShape: input.shape) }
        guard input.dtype == .float32 else {
            throw NNError.invalidInput(layer: label, expected: "float32 images", got: input.shape)
        }
        let y = input.conv2d(kernel: kernel, bias: useBias ? bias : nil, strides: strides.pair, padding: padding,
                             dilation: dilation.pair, groups: groups)
        return activation(y)
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        let channels = inputChannels.map(String.init) ?? "channels"
        let expected = "[batch, height, width, \(channels)]"
        guard inputShape.count == 4 else { throw NNError.invalidInput(layer: label, expected: expected, got: inputShape) }
        try checkChannels(inputShape)
        if inputShape[1] < 0 || inputShape[2] < 0 {
            return [inputShape[0], -1, -1, filters]
        }
        // A free batch counts as one image; a height or width of 0 is checked as it is, as the convolution will see it.
        guard let geo = WindowGeometry.make(inputShape: inputShape.map { $0 < 0 ? 1 : $0 }, kernel: kernelSize.pair,
                                            strides: strides.pair, padding: padding, dilation: dilation.pair) else {
            throw NNError.invalidInput(layer: label, expected: "\(expected) at least as large as the dilated window with padding \(padding)", got: inputShape)
        }
        return [inputShape[0], geo.outHeight, geo.outWidth, filters]
    }

    /// Checks the channel count without building.
    func checkChannels(_ inputShape: [Int]) throws {
        let c = inputShape[3]
        guard c > 0, c % groups == 0, inputChannels == nil || c == inputChannels else {
            let want = inputChannels.map { "\($0)" } ?? "a multiple of \(groups)"
            throw NNError.invalidInput(layer: label, expected: "[batch, height, width, \(want)] channels", got: inputShape)
        }
    }
}

extension Conv2D: SerializableLayer {
    public static var typeName: String { "Conv2D" }

    public var config: [String: JSONValue] {
        var c: [String: JSONValue] = [
            "filters": .number(Double(filters)), "kernel_size": kernelSize.json, "strides": strides.json,
            "padding": padding.json, "dilation_rate": dilation.json, "groups": .number(Double(groups)),
            "activation": .string(activation.rawValue), "use_bias": .bool(useBias),
            "kernel_initializer": .string(kernelInitializer.rawValue),
        ]
        if let inputChannels { c["input_channels"] = .number(Double(inputChannels)) }
        return c
    }

    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["filters", "kernel_size", "strides", "padding", "dilation_rate", "groups", "activation",
                              "use_bias", "kernel_initializer", "input_channels", "seed"])
        let filters = try config.positive("filters", default: nil) ?? { throw NNError.invalidConfig("Conv2D: missing field 'filters'") }()
        guard let kernelSize = try config.window("kernel_size", default: nil) else {
            throw NNError.invalidConfig("Conv2D: missing field 'kernel_size'")
        }
        let groups = try config.positive("groups", default: 1)!
        guard filters % groups == 0 else {
            throw NNError.invalidConfig("Conv2D: 'filters' (\(filters)) must be divisible by 'groups' (\(groups))")
        }
        self.init(filters, kernelSize: kernelSize, strides: try config.window("strides", default: 1)!,
                  padding: try config.padding(sides: [1, 2, 4]), dilation: try config.window("dilation_rate", default: 1)!,
                  groups: groups, activation: try Activation(named: config.string("activation", default: "linear")!),
                  useBias: try config.bool("use_bias", default: true),
                  kernelInitializer: try Initializer(named: config.string("kernel_initializer", default: "glorot_uniform")!),
                  inputChannels: try config.positive("input_channels", default: nil),
                  seed: try config.int("seed", default: nil).map { UInt64(truncatingIfNeeded: $0) })
    }
}
