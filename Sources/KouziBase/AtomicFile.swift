/// Why a file could not be written: the path and the operating system's reason.
public struct FileWriteError: Error, CustomStringConvertible, Sendable {
    /// The path that was being written.
    public let path: String
    /// The system's explanation (from `strerror`).
    public let reason: String

    public var description: String { "cannot write '\(path)': \(reason)" }
}

/// Whole-file writes that never leave a half-written file: the bytes go to a temporary file in the same directory,
/// which is flushed with `fsync` and renamed over the target, so a reader (or a crash) sees the old file or the new
/// one.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically (mode 0644).
    public static func write(_ bytes: [UInt8], to path: String) throws(FileWriteError) {
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw FileWriteError(path: temporary, reason: systemReason()) }
        var written = 0
        let failure: String? = bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = posixWrite(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 { if errno == EINTR { continue }; return systemReason() }
                written += n
            }
            return fsync(fd) == 0 ? nil : systemReason()
        }
        close(fd)
        if let failure {
            unlink(temporary)
            throw FileWriteError(path: temporary, reason: failure)
        }
        guard rename(temporary, path) == 0 else {
            let reason = systemReason()
            unlink(temporary)
            throw FileWriteError(path: path, reason: reason)
        }
    }

    private static func systemReason() -> String { String(cString: strerror(errno)) }
}

/// `write(2)`, named apart from ``AtomicFile/write(_:to:)``.
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
