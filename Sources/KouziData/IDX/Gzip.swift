import CZlib

/// An error decompressing a gzip stream: corrupt data, a truncated stream or trailing garbage.
public struct GzipError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, including the byte offset where it is known.
    public let message: String

    /// Creates an error with a message.
    public init(_ message: String) { self.message = message }

    public var description: String { "gzip: \(message)" }
}

/// Gzip decompression through zlib.
///
/// Accepts gzip and zlib streams (zlib detects the header: `windowBits` 15 + 32) and concatenated gzip
/// members, as `gzip -d` does.
///
/// ```swift
/// let raw = try Gzip.decompress(bytes)     // bytes starting 0x1f 0x8b
/// ```
public enum Gzip {
    /// Whether `bytes` start with the gzip magic number `1f 8b`.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Decompresses a whole gzip (or zlib) stream.
    ///
    /// - Parameters:
    ///   - bytes: the compressed stream.
    ///   - maxOutputBytes: a limit on the decompressed size, against decompression bombs.
    /// - Throws: ``GzipError`` for corrupt or truncated data, trailing bytes that are not another gzip
    ///   member, or output beyond `maxOutputBytes`.
    /// - Complexity: O(output size).
    public static func decompress(_ bytes: [UInt8], maxOutputBytes: Int = Int.max) throws -> [UInt8] {
        guard !bytes.isEmpty else { throw GzipError("empty input") }
        var stream = z_stream()
        let initStatus = inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else { throw GzipError("inflateInit2 failed with status \(initStatus)") }
        defer { inflateEnd(&stream) }

        var output = [UInt8](repeating: 0, count: initialCapacity(bytes, limit: maxOutputBytes))
        var produced = 0
        var consumed = 0
        let chunkLimit = Int(UInt32.max)

        try bytes.withUnsafeBufferPointer { input in
            let base = input.baseAddress!
            while true {
                if stream.avail_in == 0 && consumed < input.count {
                    let take = min(input.count - consumed, chunkLimit)
                    stream.next_in = UnsafeMutablePointer(mutating: base + consumed)
                    stream.avail_in = UInt32(take)
                    consumed += take
                }
                if produced == output.count {
                    guard output.count < maxOutputBytes else {
                        throw GzipError("decompressed size exceeds the limit of \(maxOutputBytes) bytes")
                    }
                    let grow = min(max(output.count, 1 << 16), maxOutputBytes - output.count)
                    output.append(contentsOf: repeatElement(0, count: grow))
                }
                let status: Int32 = output.withUnsafeMutableBufferPointer { out in
                    let room = min(out.count - produced, chunkLimit)
                    stream.next_out = out.baseAddress! + produced
                    stream.avail_out = UInt32(room)
                    let result = inflate(&stream, Z_NO_FLUSH)
                    produced += room - Int(stream.avail_out)
                    return result
                }
                let position = consumed - Int(stream.avail_in)
                switch status {
                case Z_STREAM_END:
                    if position == input.count { return }
                    // Another gzip member may follow (as written by `cat a.gz b.gz`).
                    guard input.count - position >= 2, base[position] == 0x1F, base[position + 1] == 0x8B else {
                        throw GzipError("\(input.count - position) unexpected bytes after the end of the stream at offset \(position)")
                    }
                    guard inflateReset(&stream) == Z_OK else { throw GzipError("inflateReset failed") }
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    if stream.avail_in == 0 && consumed == input.count && stream.avail_out > 0 {
                        throw GzipError("truncated stream: input ended at offset \(input.count) before the end of the data")
                    }
                case Z_NEED_DICT:
                    throw GzipError("the stream needs a preset dictionary")
                case Z_MEM_ERROR:
                    throw GzipError("out of memory")
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                    throw GzipError("corrupt data near offset \(position): \(reason)")
                }
            }
        }
        output.removeSubrange(produced...)
        return output
    }

    /// A first guess at the output size from the gzip trailer (ISIZE, the size modulo 2^32).
    private static func initialCapacity(_ bytes: [UInt8], limit: Int) -> Int {
        var guess = bytes.count * 4
        if isGzip(bytes), bytes.count >= 18 {
            let n = bytes.count
            let isize = Int(bytes[n - 4]) | Int(bytes[n - 3]) << 8 | Int(bytes[n - 2]) << 16 | Int(bytes[n - 1]) << 24
            // Deflate cannot expand data more than about 1032 times, so a larger ISIZE is corrupt.
            if isize >= bytes.count / 2 && isize <= bytes.count * 1032 { guess = isize + 1 }
        }
        return max(1, min(guess, 1 << 30, limit))
    }
}
