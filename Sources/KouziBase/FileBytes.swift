/// Why a file could not be read: the path and the operating system's reason.
public struct FileReadError: Error, CustomStringConvertible, Sendable {
    /// The path that was opened.
    public let path: String
    /// The system's explanation (from `strerror`), or a short description.
    public let reason: String

    public var description: String { "cannot read '\(path)': \(reason)" }
}

/// Whole-file reads through POSIX calls, with errors that name the path and the system's reason.
public enum FileBytes {
    /// Reads every byte of the regular file at `path`.
    ///
    /// - Complexity: O(file size); one allocation when the size reported by `fstat` is accurate.
    public static func contents(of path: String) throws(FileReadError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FileReadError(path: path, reason: systemReason()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileReadError(path: path, reason: systemReason()) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw FileReadError(path: path, reason: "it is a directory") }
        var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size), 0) + 1)
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, 4096))) }
            let got = bytes.withUnsafeMutableBytes { buffer in
                read(fd, buffer.baseAddress! + filled, buffer.count - filled)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw FileReadError(path: path, reason: systemReason())
            }
            if got == 0 { break }
            filled += got
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// Whether `path` names an existing directory.
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether `path` names an existing file or directory.
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// The system's explanation of the last error (`strerror(errno)`).
    public static func systemReason() -> String {
        String(cString: strerror(errno))
    }
}
