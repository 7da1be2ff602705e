/// An error reading or encoding text data, naming the file, line or setting at fault.
public enum TextError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A file that could not be read.
    case unreadableFile(path: String, reason: String)
    /// A line of a labelled TSV file that is not `text<TAB>label`.
    case malformedLine(path: String, line: Int, reason: String)
    /// A setting out of range (sequence length, vocabulary size …).
    case invalidSetting(String)

    public var description: String {
        switch self {
        case let .unreadableFile(path, reason): return "cannot read '\(path)': \(reason)"
        case let .malformedLine(path, line, reason): return "\(path), line \(line): \(reason)"
        case let .invalidSetting(message): return message
        }
    }
}
