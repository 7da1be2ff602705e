/// Why an edge bundle cannot be written.
public enum EdgeBundleError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The `kouzi-infer` executable is not where the export looks for it.
    case missingBinary(path: String)
    /// The destination exists and replacing it was not asked for.
    case destinationExists(path: String)
    /// A file of the bundle cannot be read or written.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case let .missingBinary(path):
            return "the kouzi-infer executable is not built (looked for \(path)); build it next to kouzi with "
                + "`swift build -c release --product kouzi-infer` and export again"
        case let .destinationExists(path):
            return "'\(path)' already exists; choose another --out or pass --force to replace it"
        case let .io(path, reason):
            return "cannot write the bundle at '\(path)': \(reason)"
        }
    }
}
