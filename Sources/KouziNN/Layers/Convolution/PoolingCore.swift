import KouziTensor

/// The window settings shared by the pooling layers, with validation and shape arithmetic.
struct PoolingCore: Sendable {
    /// Max or average.
    enum Kind: String, Sendable { case max = "Max", average = "Average" }

    let kind: Kind
    let poolSize: WindowSize
    let strides: WindowSize
    let padding: ConvPadding
    /// Whether the layer takes sequences `[batch, steps, channels]` (run as images one row high).
    let oneDimensional: Bool

    var label: String {
        "\(kind.rawValue)Pool\(oneDimensional ? "1D" : "2D")(\(oneDimensional ? "\(poolSize.width)" : "\(poolSize)"))"
    }

    /// The image shape the kernels see, after checking rank; throws naming the layer.
    func imageShape(_ shape: [Int]) throws -> [Int] {
        let rank = oneDimensional ? 3 : 4
        guard shape.count == rank, shape.dropFirst().allSatisfy({ $0 > 0 || $0 == -1 }) else {
            let expected = oneDimensional ? "[batch, steps, channels]" : "[batch, height, width, channels]"
            throw NNError.invalidInput(layer: label, expected: expected, got: shape)
        }
        return oneDimensional ? [shape[0], 1, shape[1], shape[2]] : shape
    }

    var windowPadding: ConvPadding { oneDimensional ? padding.alongWidth : padding }

    func outputShape(for shape: [Int]) throws -> [Int] {
        let image = try imageShape(shape)
        if image.dropFirst().contains(-1) {
            return oneDimensional ? [shape[0], -1, shape[2]] : [shape[0], -1, -1, shape[3]]
        }
        guard let geo = WindowGeometry.make(inputShape: image.map { $0 < 0 ? 1 : $0 }, kernel: poolSize.pair,
                                            strides: strides.pair, padding: windowPadding) else {
            throw NNError.invalidInput(layer: label, expected: "an input at least as large as the pool window \(poolSize) with padding \(padding)", got: shape)
        }
        return oneDimensional ? [shape[0], geo.outWidth, shape[2]] : [shape[0], geo.outHeight, geo.outWidth, shape[3]]
    }

    func apply(_ input: Tensor) throws -> Tensor {
        let out = try outputShape(for: input.shape)
        guard input.dtype == .float32 else { throw NNError.invalidInput(layer: label, expected: "float32 values", got: input.shape) }
        let image = oneDimensional ? input.reshaped(try imageShape(input.shape)) : input
        let y = kind == .max
            ? image.maxPool2d(poolSize: poolSize.pair, strides: strides.pair, padding: windowPadding)
            : image.avgPool2d(poolSize: poolSize.pair, strides: strides.pair, padding: windowPadding)
        return oneDimensional ? y.reshaped(out) : y
    }

    var config: [String: JSONValue] {
        if oneDimensional {
            return ["pool_size": .number(Double(poolSize.width)), "strides": .number(Double(strides.width)), "padding": padding.json]
        }
        return ["pool_size": poolSize.json, "strides": strides.json, "padding": padding.json]
    }

    /// Reads `pool_size`, `strides` (default: the pool size) and `padding`.
    static func read(_ config: ConfigReader, kind: Kind, oneDimensional: Bool) throws -> PoolingCore {
        try config.onlyKnown(["pool_size", "strides", "padding"])
        let sides: Set<Int> = oneDimensional ? [1, 2] : [1, 2, 4]
        if oneDimensional {
            let size = try config.positive("pool_size", default: 2)!
            let stride = try config.positive("strides", default: size)!
            return PoolingCore(kind: kind, poolSize: WindowSize(1, size), strides: WindowSize(1, stride),
                               padding: try config.padding(sides: sides), oneDimensional: true)
        }
        let size = try config.window("pool_size", default: 2)!
        return PoolingCore(kind: kind, poolSize: size, strides: try config.window("strides", default: size)!,
                           padding: try config.padding(sides: sides), oneDimensional: false)
    }
}
