/// An error building a dataset or a data loader.
public enum DatasetError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Features and targets with different first dimensions.
    case firstDimensionMismatch(xShape: [Int], yShape: [Int])
    /// A scalar tensor where examples along the first dimension are needed.
    case scalarTensor(name: String)
    /// A batch size below 1.
    case invalidBatchSize(Int)
    /// An example index outside the dataset.
    case indexOutOfRange(index: Int, count: Int)

    public var description: String {
        switch self {
        case let .firstDimensionMismatch(xShape, yShape):
            return "x of shape \(xShape) and y of shape \(yShape) must have the same first dimension (number of examples)"
        case let .scalarTensor(name):
            return "\(name) is a scalar; a dataset needs examples along the first dimension"
        case let .invalidBatchSize(size):
            return "batch size must be at least 1, got \(size)"
        case let .indexOutOfRange(index, count):
            return "example index \(index) is out of range for a dataset of \(count) examples"
        }
    }
}
