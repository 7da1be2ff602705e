import KouziTensor

/// A 2-D transposed convolution (sometimes called deconvolution) over channels-last images.
///
/// Input `[batch, height, width, channels]`, output `[batch, outHeight, outWidth, filters]` with
/// `outHeight = (height − 1)·stride + dilation·(kernel − 1) + 1` for `valid` padding, `height · stride`
/// for `same`, and the `valid` size minus the explicit crop per side (PyTorch's `padding`), plus
/// `outputPadding`. The kernel is `[kernelH, kernelW, filters / groups, channels]` (Keras' layout;
/// PyTorch's `weight` permuted `(2, 3, 1, 0)`).
///
/// ```swift
/// let up = Conv2DTranspose(16, kernelSize: 2, strides: 2)
/// let y = try up(Tensor.zeros([1, 7, 7, 32]))   // [1, 14, 14, 16]
/// ```
public final class Conv2DTranspose: Layer {
    /// Output channels.
    public let filters: Int
    /// Window size.
    public let kernelSize: WindowSize
    /// Upsampling steps.
    public let strides: WindowSize
    /// Border handling (a crop of the full output).
    public let padding: ConvPadding
    /// Spacing of the window taps.
    public let dilation: WindowSize
    /// Extra rows and columns after the last ones (each smaller than the stride or the dilation).
    public let outputPadding: WindowSize
    /// Channel groups handled separately.
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

    /// The kernel, `[kernelH, kernelW, filters / groups, inputChannels]`.
    @Param public var kernel: Tensor
    /// The bias, `[filters]` (empty without `useBias`).
    @Param public var bias: Tensor

    /// Creates a transposed convolution; `inputChannels` nil defers building to the first call.
    public init(_ filters: Int, kernelSize: WindowSize, strides: WindowSize = 1, padding: ConvPadding = .valid,
                dilation: WindowSize = 1, outputPadding: WindowSize = 0, groups: Int = 1,
                activation: Activation = .linear, useBias: Bool = true,
                kernelInitializer: Initializer = .glorotUniform, inputChannels: Int? = nil, seed: UInt64? = nil) {
        precondition(filters > 0 && kernelSize.isPositive && strides.isPositive && dilation.isPositive,
                     "Conv2DTranspose needs positive filters, kernel size, strides and dilation")
        precondition(outputPadding.height >= 0 && outputPadding.width >= 0, "Conv2DTranspose: outputPadding must be non-negative")
        precondition(groups > 0 && filters % groups == 0, "Conv2DTranspose: filters (\(filters)) must divide into \(groups) groups")
        precondition(padding.isWellFormed(sides: [1, 2, 4]), "Conv2DTranspose: explicit padding takes 1, 2 or 4 non-negative values")
        self.filters = filters
        self.kernelSize = kernelSize
        self.strides = strides
        self.padding = padding
        self.dilation = dilation
        self.outputPadding = outputPadding
        self.groups = groups
        self.activation = activation
        self.useBias = useBias
        self.kernelInitializer = kernelInitializer
        self.seed = seed ?? WeightSeed.next()
        if let inputChannels { try? build(inputShape: [-1, -1, -1, inputChannels]) }
    }

    public var isBuilt: Bool { inputChannels != nil }

    public var name: String { "Conv2DTranspose" }

    var label: String { "Conv2DTranspose(\(filters), \(kernelSize))" }

    public func build(inputShape: [Int]) throws {
        try checkChannels(inputShape)
        if inputChannels != nil { return }
        let c = inputShape[3]
        var g = SeededGenerator(seed: seed)
        let area = kernelSize.height * kernelSize.width
        kernel = kernelInitializer.make([kernelSize.height, kernelSize.width, filters / groups, c],
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
        let y = input.conv2dTranspose(kernel: kernel, bias: useBias ? bias : nil, strides: strides.pair, padding: padding,
                                      dilation: dilation.pair, groups: groups, outputPadding: outputPadding.pair)
        return activation(y)
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        try checkChannels(inputShape)
        guard let geo = Tensor.transposeGeometry(inputShape: inputShape.map { Swift.max($0, 1) }, kernel: kernelSize.pair,
                                                 channels: filters, strides: strides.pair, padding: padding,
                                                 dilation: dilation.pair, outputPadding: outputPadding.pair) else {
            throw NNError.invalidInput(layer: label, expected: "[batch, height, width, channels] large enough for the crop \(padding)", got: inputShape)
        }
        return [inputShape[0], geo.height, geo.width, filters]
    }

    func checkChannels(_ inputShape: [Int]) throws {
        let want = inputChannels.map { "\($0)" } ?? "channels"
        // A height or width of 0 is an empty image, not one whose output is the bias alone.
        guard inputShape.count == 4, inputShape[1] != 0, inputShape[2] != 0, inputShape[3] > 0, inputShape[3] % groups == 0,
              inputChannels == nil || inputShape[3] == inputChannels else {
            throw NNError.invalidInput(layer: label, expected: "[batch, height, width, \(want)] (non-empty images, channels divisible by \(groups) group(s))", got: inputShape)
        }
    }
}

extension Conv2DTranspose: SerializableLayer {
    public static var typeName: String { "Conv2DTranspose" }

    public var config: [String: JSONValue] {
        var c: [String: JSONValue] = [
            "filters": .number(Double(filters)), "kernel_size": kernelSize.json, "strides": strides.json,
            "padding": padding.json, "dilation_rate": dilation.json, "output_padding": outputPadding.json,
            "groups": .number(Double(groups)), "activation": .string(activation.rawValue), "use_bias": .bool(useBias),
            "kernel_initializer": .string(kernelInitializer.rawValue),
        ]
        if let inputChannels { c["input_channels"] = .number(Double(inputChannels)) }
        return c
    }

    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["filters", "kernel_size", "strides", "padding", "dilation_rate", "output_padding", "groups",
                              "activation", "use_bias", "kernel_initializer", "input_channels", "seed"])
        let filters = try config.positive("filters", default: nil) ?? { throw NNError.invalidConfig("Conv2DTranspose: missing field 'filters'") }()
        guard let kernelSize = try config.window("kernel_size", default: nil) else {
            throw NNError.invalidConfig("Conv2DTranspose: missing field 'kernel_size'")
        }
        let groups = try config.positive("groups", default: 1)!
        guard filters % groups == 0 else {
            throw NNError.invalidConfig("Conv2DTranspose: 'filters' (\(filters)) must be divisible by 'groups' (\(groups))")
        }
        var outputPadding = WindowSize(0, 0)
        if let v = config.fields["output_padding"], v != .null {
            if let i = v.intValue, i >= 0 {
                outputPadding = WindowSize(i, i)
            } else if let list = try? config.ints("output_padding"), (1...2).contains(list.count), list.allSatisfy({ $0 >= 0 }) {
                outputPadding = WindowSize(list[0], list.last!)
            } else {
                throw NNError.invalidConfig("Conv2DTranspose: 'output_padding' must be one or two non-negative integers, got \(v)")
            }
        }
        self.init(filters, kernelSize: kernelSize, strides: try config.window("strides", default: 1)!,
                  padding: try config.padding(sides: [1, 2, 4]), dilation: try config.window("dilation_rate", default: 1)!,
                  outputPadding: outputPadding, groups: groups,
                  activation: try Activation(named: config.string("activation", default: "linear")!),
                  useBias: try config.bool("use_bias", default: true),
                  kernelInitializer: try Initializer(named: config.string("kernel_initializer", default: "glorot_uniform")!),
                  inputChannels: try config.positive("input_channels", default: nil),
                  seed: try config.int("seed", default: nil).map { UInt64(truncatingIfNeeded: $0) })
    }
}
