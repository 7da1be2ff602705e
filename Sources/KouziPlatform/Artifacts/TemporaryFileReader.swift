import Foundation

/// Chunks of a file for a streamed response, and its size.
public protocol ChunkSource: Sendable {
    /// The size in bytes.
    var size: Int64 { get }
    /// The next chunk, or nil at the end.
    func next() throws -> Data?
}

/// A file made for one response (a ZIP of a version's files), read in chunks and deleted when done.
public final class TemporaryFileReader: ChunkSource, @unchecked Sendable {
    private let url: URL
    private let reader: ChunkedFileReader
    /// The file's size in bytes.
    public let size: Int64

    init(url: URL) throws {
        self.url = url
        reader = try ChunkedFileReader(url: url)
        size = fileSize(url.path)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The next chunk, or nil at the end.
    public func next() throws -> Data? { try reader.next() }
}
