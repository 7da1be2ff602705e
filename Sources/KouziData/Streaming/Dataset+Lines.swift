#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Dataset where Element == String {
    /// The lines of a text file, read in chunks of `chunkSize` bytes so that a file of any size streams
    /// in bounded memory; a gzip-compressed file is decompressed as it is read.
    ///
    /// Lines end at LF or CRLF (the line break is not part of the line); a final line without a line
    /// break is included, a leading UTF-8 byte order mark is skipped, and empty lines are kept (filter
    /// them out if needed). The file is opened when the first line is asked for.
    ///
    /// ```swift
    /// let sentences = Dataset.lines(ofFile: "corpus.txt.gz").filter { !$0.isEmpty }
    /// ```
    ///
    /// - Throws (from ``DatasetIterator/next()``): ``DatasetError/unreadableFile(path:reason:)``, or
    ///   ``DatasetError/invalidUTF8(path:line:)`` naming the line.
    public static func lines(ofFile path: String, chunkSize: Int = 1 << 20) -> Dataset<String> {
        Dataset(count: nil) { _ in
            let reader = LineReader(path: path, chunkSize: chunkSize)
            return DatasetIterator(reader.next)
        }
    }
}

/// Splits the chunks of a file into lines.
private final class LineReader {
    private let path: String
    private let chunkSize: Int
    private var file: FileChunks?
    private var chunk: [UInt8] = []
    private var position = 0
    private var pending: [UInt8] = []
    private var line = 0
    private var ended = false

    init(path: String, chunkSize: Int) {
        self.path = path
        self.chunkSize = chunkSize
    }

    func next() throws -> String? {
        if file == nil && !ended { file = try FileChunks(path: path, chunkSize: chunkSize) }
        while true {
            if position < chunk.count {
                let end = chunk.withUnsafeBufferPointer { buffer in
                    memchr(buffer.baseAddress! + position, 0x0A, buffer.count - position)
                        .map { UnsafeRawPointer(buffer.baseAddress!).distance(to: $0) }
                }
                pending.append(contentsOf: chunk[position..<(end ?? chunk.count)])
                position = end.map { $0 + 1 } ?? chunk.count
                if end != nil { return try takeLine() }
            }
            guard !ended, let next = try file?.next() else {
                ended = true
                file = nil
                return pending.isEmpty ? nil : try takeLine()
            }
            chunk = next
            position = 0
        }
    }

    private func takeLine() throws -> String {
        line += 1
        defer { pending.removeAll(keepingCapacity: true) }
        if pending.last == 0x0D { pending.removeLast() }
        let skip = line == 1 && pending.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard let text = pending.withUnsafeBufferPointer({ validUTF8(UnsafeBufferPointer(rebasing: $0[skip...])) }) else {
            throw DatasetError.invalidUTF8(path: path, line: line)
        }
        return text
    }
}
