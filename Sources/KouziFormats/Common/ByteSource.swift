import KouziBase

/// Random access to the bytes of a file or an in-memory buffer, for readers that must not load a
/// whole multi-gigabyte file at once.
///
/// A file is read with `pread`, which keeps no shared file position, so one source can serve concurrent
/// readers. The descriptor closes when the last copy of the source goes away.
public struct ByteSource: Sendable {
    private enum Storage: Sendable {
        case file(FileDescriptor)
        case memory([UInt8])
    }

    private let storage: Storage
    /// A name for the source in error messages: the path, or the name given to an in-memory buffer.
    public let name: String
    /// The total number of bytes.
    public let count: Int64

    /// Opens the regular file at `path` for reading.
    ///
    /// - Parameters:
    ///   - path: the file.
    ///   - name: the name error messages use (default: the path), e.g. the name a user uploaded the file under.
    /// - Throws: ``FileAccessError`` when the file cannot be opened, is a directory, or cannot be examined.
    public init(path: String, name: String? = nil) throws(FileAccessError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileAccessError(path: path, reason: FileAccessError.systemReason()) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = FileAccessError.systemReason()
            close(fd)
            throw FileAccessError(path: path, reason: reason)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw FileAccessError(path: path, reason: "not a regular file")
        }
        self.storage = .file(FileDescriptor(fd))
        self.name = name ?? path
        self.count = Int64(info.st_size)
    }

    /// Wraps bytes already in memory.
    ///
    /// - Parameters:
    ///   - bytes: the content.
    ///   - name: a name for error messages.
    public init(bytes: [UInt8], name: String = "<bytes>") {
        self.storage = .memory(bytes)
        self.name = name
        self.count = Int64(bytes.count)
    }

    /// Reads `length` bytes at `offset`; fewer only when the source ends first.
    ///
    /// - Throws: ``FileAccessError`` when the system read fails.
    public func read(at offset: Int64, length: Int) throws(FileAccessError) -> [UInt8] {
        guard offset >= 0, offset < count, length > 0 else { return [] }
        let available = Int(min(Int64(length), count - offset))
        switch storage {
        case let .memory(bytes):
            let start = Int(offset)
            return Array(bytes[start..<start + available])
        case let .file(descriptor):
            var buffer = [UInt8](repeating: 0, count: available)
            var filled = 0
            while filled < available {
                let got = buffer.withUnsafeMutableBytes { raw in
                    pread(descriptor.fd, raw.baseAddress! + filled, available - filled, off_t(offset) + off_t(filled))
                }
                if got < 0 {
                    if errno == EINTR { continue }
                    throw FileAccessError(path: name, reason: FileAccessError.systemReason())
                }
                if got == 0 { break }
                filled += got
            }
            if filled < available { buffer.removeSubrange(filled...) }
            return buffer
        }
    }

    /// Reads every byte (for small files).
    public func readAll() throws(FileAccessError) -> [UInt8] {
        if case let .memory(bytes) = storage { return bytes }
        return try read(at: 0, length: Int(count))
    }
}

/// Owns an open file descriptor and closes it on deinitialisation.
final class FileDescriptor: Sendable {
    /// The descriptor.
    let fd: Int32

    /// Takes ownership of `fd`.
    init(_ fd: Int32) { self.fd = fd }

    deinit { close(fd) }
}
