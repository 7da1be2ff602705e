/// A runtime error of a `kouzi` command, with a message that names the file, column or value at fault.
public enum CLIError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A file or directory that does not exist or cannot be read.
    case missingPath(kind: String, path: String)
    /// Data that does not fit the model or the command (wrong columns, wrong feature count …).
    case invalidData(String)
    /// A model file whose saved preprocessing cannot be used.
    case invalidModel(path: String, reason: String)
    /// No dataset was found for the demo.
    case noDemoData(searched: [String])
    /// Anything else, with its full message.
    case failed(String)

    public var description: String {
        switch self {
        case let .missingPath(kind, path):
            return "\(kind) '\(path)' does not exist"
        case let .invalidData(message):
            return message
        case let .invalidModel(path, reason):
            return "cannot use model '\(path)': \(reason)"
        case let .noDemoData(searched):
            return "no MNIST-style data found (looked in: \(searched.joined(separator: ", "))); "
                + "install Fashion-MNIST with `apt-get install dataset-fashion-mnist`, or pass --data DIR "
                + "(a directory holding train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-…)"
        case let .failed(message):
            return message
        }
    }
}
