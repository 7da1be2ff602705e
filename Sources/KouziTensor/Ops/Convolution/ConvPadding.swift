/// How a convolution or pooling window treats the borders of its input.
///
/// - `valid`: no padding; windows that would leave the input are dropped.
/// - `same`: Keras' rule: the output has `ceil(input / stride)` positions along each axis and the
///   padding needed for that is split with the smaller half before (top/left), the larger after.
///   With stride 1 this is PyTorch's `padding="same"`.
/// - `explicit`: zero padding per side, in input positions. For 2-D windows: one value (every side),
///   two values `[vertical, horizontal]` (both sides of each axis), or four `[top, bottom, left, right]`.
///   For 1-D windows: one value (both sides) or two `[left, right]`.
public enum ConvPadding: Sendable, Equatable, Hashable {
    /// No padding.
    case valid
    /// Output size `ceil(input / stride)`.
    case same
    /// Explicit zero padding per side.
    case explicit([Int])

    /// Padding `(before, after)` along one axis for `input` positions, a window of `kernel` taps spaced
    /// `dilation` apart and `stride`. `axis` is 0 (height) or 1 (width) for 2-D windows; 1-D windows pass
    /// `oneDimensional: true`. Nil when an explicit list has the wrong length or a negative value.
    public func amounts(input: Int, kernel: Int, stride: Int, dilation: Int, axis: Int,
                        oneDimensional: Bool = false) -> (before: Int, after: Int)? {
        switch self {
        case .valid:
            return (0, 0)
        case .same:
            let span = dilation * (kernel - 1) + 1
            let out = (input + stride - 1) / stride
            let total = Swift.max((out - 1) * stride + span - input, 0)
            return (total / 2, total - total / 2)
        case let .explicit(values):
            guard values.allSatisfy({ $0 >= 0 }) else { return nil }
            switch (values.count, oneDimensional) {
            case (1, _): return (values[0], values[0])
            case (2, true): return (values[0], values[1])
            case (2, false): return (values[axis], values[axis])
            case (4, false): return (values[2 * axis], values[2 * axis + 1])
            default: return nil
            }
        }
    }

    /// The output length along one axis, or nil when the padded input is shorter than the window.
    public static func outputLength(input: Int, kernel: Int, stride: Int, dilation: Int,
                                    before: Int, after: Int) -> Int? {
        let span = dilation * (kernel - 1) + 1
        let padded = input + before + after
        guard padded >= span, stride > 0 else { return nil }
        return (padded - span) / stride + 1
    }
}
