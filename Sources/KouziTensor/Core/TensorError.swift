/// An error raised by a tensor operation given arguments it cannot work with.
public enum TensorError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Two shapes that had to agree did not.
    case shapeMismatch(operation: String, expected: String, got: [Int])
    /// An element count does not fit a shape.
    case countMismatch(shape: [Int], count: Int)
    /// An axis outside `-rank..<rank`.
    case invalidAxis(axis: Int, rank: Int)
    /// An index outside its dimension.
    case indexOutOfRange(operation: String, index: Int, size: Int)
    /// The operation does not support this dtype.
    case dtypeMismatch(operation: String, expected: DType, got: DType)
    /// Any other invalid argument.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .shapeMismatch(op, expected, got):
            return "\(op): expected shape \(expected), got \(got)"
        case let .countMismatch(shape, count):
            return "cannot fit \(count) elements into shape \(shape) (needs \(shape.reduce(1, *)))"
        case let .invalidAxis(axis, rank):
            return "axis \(axis) is out of range for a tensor of rank \(rank)"
        case let .indexOutOfRange(op, index, size):
            return "\(op): index \(index) is out of range for a dimension of size \(size)"
        case let .dtypeMismatch(op, expected, got):
            return "\(op): expected dtype \(expected), got \(got)"
        case let .invalidArgument(message):
            return message
        }
    }
}
