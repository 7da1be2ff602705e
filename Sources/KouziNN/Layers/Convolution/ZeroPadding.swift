import KouziTensor

/// Adds zero rows and columns around channels-last images `[batch, height, width, channels]`.
public final class ZeroPadding2D: Layer {
    /// Rows added above and below, columns added left and right.
    public let top, bottom, left, right: Int

    /// Pads `padding` rows/columns on every side, `[vertical, horizontal]`, or `[top, bottom, left, right]`.
    public init(padding: [Int] = [1]) {
        precondition([1, 2, 4].contains(padding.count) && padding.allSatisfy { $0 >= 0 },
                     "ZeroPadding2D takes 1, 2 or 4 non-negative values, got \(padding)")
        let p = ConvPadding.explicit(padding)
        let h = p.amounts(input: 1, kernel: 1, stride: 1, dilation: 1, axis: 0)!
        let w = p.amounts(input: 1, kernel: 1, stride: 1, dilation: 1, axis: 1)!
        (top, bottom, left, right) = (h.before, h.after, w.before, w.after)
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        _ = try outputShape(for: input.shape)
        return input.zeroPadded2d(top: top, bottom: bottom, left: left, right: right)
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 4 else {
            throw NNError.invalidInput(layer: "ZeroPadding2D", expected: "[batch, height, width, channels]", got: inputShape)
        }
        return [inputShape[0], inputShape[1] + top + bottom, inputShape[2] + left + right, inputShape[3]]
    }

    public var name: String { "ZeroPadding2D" }
}

/// Adds zero steps before and after channels-last sequences `[batch, steps, channels]`.
public final class ZeroPadding1D: Layer {
    /// Steps added before and after.
    public let left, right: Int

    /// Pads `padding` steps on both sides, or `[left, right]`.
    public init(padding: [Int] = [1]) {
        precondition([1, 2].contains(padding.count) && padding.allSatisfy { $0 >= 0 },
                     "ZeroPadding1D takes 1 or 2 non-negative values, got \(padding)")
        (left, right) = (padding[0], padding.last!)
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        let out = try outputShape(for: input.shape)
        let image = input.reshaped([input.shape[0], 1, input.shape[1], input.shape[2]])
        return image.zeroPadded2d(top: 0, bottom: 0, left: left, right: right).reshaped(out)
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw NNError.invalidInput(layer: "ZeroPadding1D", expected: "[batch, steps, channels]", got: inputShape)
        }
        return [inputShape[0], inputShape[1] + left + right, inputShape[2]]
    }

    public var name: String { "ZeroPadding1D" }
}

extension ZeroPadding2D: SerializableLayer {
    public static var typeName: String { "ZeroPadding2D" }
    public var config: [String: JSONValue] { ["padding": .array([top, bottom, left, right].map { .number(Double($0)) })] }
    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["padding"])
        guard case let .explicit(p) = try config.padding(sides: [1, 2, 4]) else {
            throw NNError.invalidConfig("ZeroPadding2D: 'padding' must be a list of 1, 2 or 4 non-negative integers")
        }
        self.init(padding: p)
    }
}

extension ZeroPadding1D: SerializableLayer {
    public static var typeName: String { "ZeroPadding1D" }
    public var config: [String: JSONValue] { ["padding": .array([left, right].map { .number(Double($0)) })] }
    public convenience init(config: ConfigReader) throws {
        try config.onlyKnown(["padding"])
        guard case let .explicit(p) = try config.padding(sides: [1, 2]) else {
            throw NNError.invalidConfig("ZeroPadding1D: 'padding' must be a list of 1 or 2 non-negative integers")
        }
        self.init(padding: p)
    }
}
