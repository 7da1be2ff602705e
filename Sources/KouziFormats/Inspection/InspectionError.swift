/// An error inspecting a dataset upload; messages name the file and position where known.
public enum InspectionError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No file in the input could be used.
    case noUsableFiles(source: String, kind: String, rejected: Int)
    /// A text file is not valid UTF-8.
    case invalidUTF8(file: String, offset: Int)
    /// Images and labels disagree on the number of examples.
    case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
    /// An IDX file has the wrong rank or element type for its role.
    case badIDXShape(file: String, shape: [Int], reason: String)
    /// A folder could not be listed.
    case unreadableDirectory(path: String, reason: String)

    public var description: String {
        switch self {
        case let .noUsableFiles(source, kind, rejected):
            return "\(source): no usable \(kind) files (\(rejected) rejected)"
        case let .invalidUTF8(file, offset):
            return "\(file): invalid UTF-8 at byte offset \(offset)"
        case let .countMismatch(images, imageCount, labels, labelCount):
            return "\(images) has \(imageCount) images but \(labels) has \(labelCount) labels"
        case let .badIDXShape(file, shape, reason):
            return "\(file): IDX shape \(shape): \(reason)"
        case let .unreadableDirectory(path, reason):
            return "cannot list folder '\(path)': \(reason)"
        }
    }
}
