import KouziTensor

/// An error building a dataset, a data loader or a streaming pipeline, or reading its elements.
public enum DatasetError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Features and targets with different first dimensions.
    case firstDimensionMismatch(xShape: [Int], yShape: [Int])
    /// A scalar tensor where examples along the first dimension are needed.
    case scalarTensor(name: String)
    /// A batch size below 1.
    case invalidBatchSize(Int)
    /// An example index outside the dataset.
    case indexOutOfRange(index: Int, count: Int)
    /// A tensor whose first dimension (number of slices) differs from that of the first tensor given.
    case sliceCountMismatch(name: String, shape: [Int], reference: String, referenceShape: [Int])
    /// An argument of a pipeline stage outside its valid range, with the reason.
    case invalidArgument(String)
    /// A batch of no examples.
    case emptyBatch
    /// Examples of one batch that differ in their number of inputs or targets or in their extras' names.
    case batchStructureMismatch(example: Int, found: String, expected: String)
    /// Examples of one batch whose tensors in one slot (such as `inputs[0]`) have different shapes.
    case batchShapeMismatch(slot: String, example: Int, shape: [Int], expected: [Int])
    /// Examples of one batch whose tensors in one slot have different element types.
    case batchDTypeMismatch(slot: String, example: Int, dtype: DType, expected: DType)
    /// Examples of one padded batch whose tensors in one slot have different ranks.
    case batchRankMismatch(slot: String, example: Int, shape: [Int], expected: [Int])
    /// A file or directory that could not be opened or read, with the system's reason.
    case unreadableFile(path: String, reason: String)
    /// Bytes that are not valid UTF-8 in a line of a text file.
    case invalidUTF8(path: String, line: Int)

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
        case let .sliceCountMismatch(name, shape, reference, referenceShape):
            return "\(name) of shape \(shape) has \(shape.first ?? 0) slices but \(reference) of shape \(referenceShape) "
                + "has \(referenceShape.first ?? 0): every tensor must have the same first dimension"
        case let .invalidArgument(reason):
            return reason
        case .emptyBatch:
            return "cannot make a batch of no examples"
        case let .batchStructureMismatch(example, found, expected):
            return "cannot batch: example \(example) of the batch has \(found) but example 0 has \(expected)"
        case let .batchShapeMismatch(slot, example, shape, expected):
            return "cannot batch \(slot): example \(example) of the batch has shape \(shape) but example 0 has shape \(expected) "
                + "(pad ragged examples with paddedBatch)"
        case let .batchDTypeMismatch(slot, example, dtype, expected):
            return "cannot batch \(slot): example \(example) of the batch is \(dtype) but example 0 is \(expected)"
        case let .batchRankMismatch(slot, example, shape, expected):
            return "cannot pad \(slot): example \(example) of the batch has shape \(shape) of rank \(shape.count) "
                + "but example 0 has shape \(expected) of rank \(expected.count)"
        case let .unreadableFile(path, reason):
            return "cannot read '\(path)': \(reason)"
        case let .invalidUTF8(path, line):
            return "\(path):\(line): invalid UTF-8"
        }
    }
}
