import KouziBase

/// A file could not be opened, read or written: the path and the operating system's reason.
public struct FileAccessError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The path involved.
    public let path: String
    /// The system's explanation (from `strerror`), or a short description.
    public let reason: String

    /// Creates an error for `path`.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "cannot access '\(path)': \(reason)" }

    /// The text of the current `errno`.
    static func systemReason() -> String { String(cString: strerror(errno)) }
}
