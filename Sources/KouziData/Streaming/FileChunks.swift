import KouziBase
import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file in chunks of bounded size, inflating gzip files on the fly, so that a file of any size
/// is read with about two chunks of memory.
final class FileChunks {
    /// The file's path (in error messages).
    let path: String
    private let chunkSize: Int
    private let descriptor: Int32
    private var inflater: UnsafeMutablePointer<z_stream>?
    private var compressed: UnsafeMutablePointer<UInt8>?
    private var atEnd = false

    /// Opens `path`; a file starting with the gzip magic number is decompressed as it is read.
    ///
    /// - Throws: ``DatasetError/unreadableFile(path:reason:)`` with the system's reason.
    init(path: String, chunkSize: Int) throws {
        self.path = path
        self.chunkSize = Swift.max(chunkSize, 16)
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw DatasetError.unreadableFile(path: path, reason: FileBytes.systemReason()) }
        if FileBytes.isDirectory(path) {
            close(descriptor)
            throw DatasetError.unreadableFile(path: path, reason: "it is a directory")
        }
        var magic: [UInt8] = [0, 0]
        let peeked = pread(descriptor, &magic, 2, 0)
        if peeked == 2 && magic == [0x1F, 0x8B] {
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            guard inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                stream.deallocate()
                close(descriptor)
                throw DatasetError.unreadableFile(path: path, reason: "cannot start gzip decompression")
            }
            inflater = stream
            compressed = .allocate(capacity: self.chunkSize)
        }
    }

    deinit {
        close(descriptor)
        if let inflater {
            inflateEnd(inflater)
            inflater.deallocate()
        }
        compressed?.deallocate()
    }

    /// The next chunk of bytes (decompressed for gzip), at most the chunk size; nil at the end.
    func next() throws -> [UInt8]? {
        guard !atEnd else { return nil }
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        let filled = try chunk.withUnsafeMutableBufferPointer { buffer in
            try inflater == nil ? readRaw(into: buffer.baseAddress!, count: buffer.count)
                : inflate(into: buffer.baseAddress!, count: buffer.count)
        }
        if filled == 0 {
            atEnd = true
            return nil
        }
        chunk.removeSubrange(filled...)
        return chunk
    }

    /// Reads up to `count` raw bytes; 0 at the end of the file.
    private func readRaw(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        while true {
            let got = read(descriptor, buffer, count)
            if got >= 0 { return got }
            if errno != EINTR { throw DatasetError.unreadableFile(path: path, reason: FileBytes.systemReason()) }
        }
    }

    /// Decompresses into `buffer` until it is full or the input ends; returns the bytes produced.
    private func inflate(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        guard let stream = inflater, let input = compressed else { return 0 }
        stream.pointee.next_out = buffer
        stream.pointee.avail_out = UInt32(count)
        var inputEnded = false
        while stream.pointee.avail_out > 0 {
            if stream.pointee.avail_in == 0 && !inputEnded {
                let got = try readRaw(into: input, count: chunkSize)
                inputEnded = got == 0
                stream.pointee.next_in = input
                stream.pointee.avail_in = UInt32(got)
            }
            let status = CZlib.inflate(stream, Z_NO_FLUSH)
            switch status {
            case Z_STREAM_END:
                // Another gzip member may follow (as `cat a.gz b.gz` writes).
                if stream.pointee.avail_in == 0 {
                    let got = try readRaw(into: input, count: chunkSize)
                    if got == 0 { return count - Int(stream.pointee.avail_out) }
                    stream.pointee.next_in = input
                    stream.pointee.avail_in = UInt32(got)
                }
                guard stream.pointee.next_in.pointee == 0x1F, inflateReset(stream) == Z_OK else {
                    throw DatasetError.unreadableFile(path: path, reason: "gzip: unexpected bytes after the end of the stream")
                }
            case Z_OK:
                continue
            case Z_BUF_ERROR where inputEnded:
                throw DatasetError.unreadableFile(path: path, reason: "gzip: truncated stream")
            case Z_BUF_ERROR:
                continue
            default:
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "status \(status)"
                throw DatasetError.unreadableFile(path: path, reason: "gzip: corrupt data: \(reason)")
            }
        }
        return count
    }
}
