import Crypto
import Foundation

/// An upload in progress: bytes go to a temporary file and into a running sha256; ``commit()`` flushes the file
/// and renames it to its content address, ``abort()`` (or a killed process) leaves nothing visible.
public final class ArtifactUpload: @unchecked Sendable {
    private let store: ArtifactStore
    private let limit: Int64
    private let temporaryURL: URL
    private var descriptor: Int32
    private var hasher = SHA256()
    /// Bytes received so far.
    public private(set) var size: Int64 = 0

    init(store: ArtifactStore, limit: Int64) throws {
        self.store = store
        self.limit = limit
        temporaryURL = store.temporaryFile("upload")
        descriptor = open(temporaryURL.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ArtifactError.io("cannot create \(temporaryURL.path): \(String(cString: strerror(errno)))")
        }
    }

    deinit { if descriptor >= 0 { abort() } }

    /// Appends bytes; throws ``ArtifactError/tooLarge(limit:)`` once the limit is passed.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard descriptor >= 0 else { throw ArtifactError.io("upload already finished") }
        size += Int64(bytes.count)
        guard size <= limit else { throw ArtifactError.tooLarge(limit: limit) }
        hasher.update(bufferPointer: bytes)
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw ArtifactError.io("write to \(temporaryURL.lastPathComponent) failed: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    /// Finishes the upload: flushes, renames into place (or drops the copy when the content already exists).
    public func commit() throws -> ArtifactRef {
        guard descriptor >= 0 else { throw ArtifactError.io("upload already finished") }
        let hash = hasher.finalize().hexString
        guard fsync(descriptor) == 0 else {
            let message = String(cString: strerror(errno))
            abort()
            throw ArtifactError.io("fsync failed: \(message)")
        }
        close(descriptor)
        descriptor = -1
        let destination = store.url(of: hash)
        // Content already stored is reused, and touched so a garbage collection sees it as fresh until its row is
        // written; when it is gone by now (collected a moment ago), this copy takes its place.
        if utimes(destination.path, nil) == 0 {
            unlink(temporaryURL.path)
            return ArtifactRef(sha256: hash, size: size)
        }
        let folder = destination.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        guard rename(temporaryURL.path, destination.path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temporaryURL.path)
            throw ArtifactError.io("cannot move upload into place: \(message)")
        }
        syncDirectory(folder)
        return ArtifactRef(sha256: hash, size: size)
    }

    /// Abandons the upload and deletes its temporary file.
    public func abort() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        unlink(temporaryURL.path)
    }
}

/// Flushes a directory entry so a rename survives a crash.
func syncDirectory(_ url: URL) {
    let fd = open(url.path, O_RDONLY | O_DIRECTORY)
    if fd >= 0 {
        fsync(fd)
        close(fd)
    }
}

/// The size of a file in bytes (0 when it cannot be examined).
func fileSize(_ path: String) -> Int64 {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
}

/// Reads a file in chunks.
final class ChunkedFileReader {
    private let handle: FileHandle
    private let chunkSize: Int

    init(url: URL, chunkSize: Int = 256 * 1024) throws {
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw ArtifactError.io("cannot open \(url.path): \(error.localizedDescription)")
        }
        self.chunkSize = chunkSize
    }

    deinit { try? handle.close() }

    func next() throws -> Data? {
        let data: Data?
        do { data = try handle.read(upToCount: chunkSize) } catch {
            throw ArtifactError.io("read failed: \(error.localizedDescription)")
        }
        guard let data, !data.isEmpty else { return nil }
        return data
    }
}

/// Streams an artifact in chunks, checking its hash: the reader stays two chunks ahead of what it hands out
/// and checks the hash when it reaches the end, so the last chunk is only released once the content proved
/// sound. A damaged file that fits in two chunks is refused when opened (before a response starts); a larger
/// one is cut off before its end, so a client never receives the whole of a corrupt file.
public final class ArtifactReader: ChunkSource, @unchecked Sendable {
    private let reader: ChunkedFileReader
    private let expected: String
    private var hasher = SHA256()
    private var current: Data?
    private var lookahead: Data?
    /// The artifact's size in bytes.
    public let size: Int64

    init(url: URL, expected: String, chunkSize: Int) throws {
        reader = try ChunkedFileReader(url: url, chunkSize: chunkSize)
        self.expected = expected
        size = fileSize(url.path)
        current = try read()
        if current != nil { lookahead = try read() }
    }

    /// Reads the next chunk from the file, checking the hash at the end of the file.
    private func read() throws -> Data? {
        if let chunk = try reader.next() {
            hasher.update(data: chunk)
            return chunk
        }
        let actual = hasher.finalize().hexString
        guard actual == expected else { throw ArtifactError.corrupt(hash: expected, actual: actual) }
        return nil
    }

    /// The next chunk, or nil at the end.
    public func next() throws -> Data? {
        guard let chunk = current else { return nil }
        current = lookahead
        lookahead = current == nil ? nil : try read()
        return chunk
    }
}
