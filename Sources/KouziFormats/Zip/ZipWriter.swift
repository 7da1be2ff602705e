import KouziBase

/// Writes a ZIP archive entry by entry, streaming each entry's data through deflate.
///
/// Each local header is written with placeholder sizes and CRC, the data is streamed after it, and the
/// header is patched in place once the entry ends, so no data descriptors are needed and memory stays
/// bounded by one chunk. ZIP64 is not written: archives are limited to 65,535 entries and 4 GiB.
///
/// ```swift
/// let writer = try ZipWriter(path: "dataset-v3.zip")
/// try writer.addFile(named: "train/cat/1.png", bytes: png)
/// try writer.addFile(named: "labels.csv", contentsOf: "/data/labels.csv", method: .deflate)
/// try writer.finish()
/// ```
public final class ZipWriter {
    private enum Sink {
        case file(Int32)
        case memory
    }

    private struct Record {
        var name: [UInt8]
        var method: UInt16
        var crc: UInt32
        var compressed: UInt32
        var uncompressed: UInt32
        var offset: UInt32
        var isDirectory: Bool
    }

    private let sink: Sink
    private let archive: String
    private var buffer: [UInt8] = []
    private var position: UInt64 = 0
    private var records: [Record] = []
    private var names = Set<String>()
    private var finished = false
    private let dosTime: UInt16, dosDate: UInt16
    /// The deflate level, 0–9 (default 6).
    public var compressionLevel: Int32 = 6

    /// Creates (or truncates) the archive file at `path`.
    ///
    /// - Throws: ``ZipError/writeFailed(archive:reason:)`` when the file cannot be created.
    public init(path: String) throws(ZipError) {
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ZipError.writeFailed(archive: path, reason: FileAccessError.systemReason()) }
        self.sink = .file(fd)
        self.archive = path
        (dosTime, dosDate) = Self.dosTimestamp()
    }

    /// Creates a writer that builds the archive in memory; read it with ``finishedBytes()``.
    public init() {
        self.sink = .memory
        self.archive = "<memory>"
        (dosTime, dosDate) = Self.dosTimestamp()
    }

    deinit {
        if case let .file(fd) = sink { close(fd) }
    }

    /// Adds a file from bytes in memory.
    public func addFile(named name: String, bytes: [UInt8], method: ZipEntry.Method = .deflate) throws(ZipError) {
        try addFile(named: name, method: method) { write in try write(bytes) }
    }

    /// Adds a file by copying the file at `source` in chunks.
    public func addFile(named name: String, contentsOf source: String, method: ZipEntry.Method = .deflate) throws(ZipError) {
        let input: ByteSource
        do { input = try ByteSource(path: source) } catch {
            throw ZipError.writeFailed(archive: archive, reason: error.description)
        }
        try addFile(named: name, method: method) { write in
            var offset: Int64 = 0
            while offset < input.count {
                let piece = try input.read(at: offset, length: 1 << 16)
                if piece.isEmpty { break }
                try write(piece)
                offset += Int64(piece.count)
            }
        }
    }

    /// Adds a file whose content `produce` streams by calling the `write` function it receives.
    ///
    /// - Throws: ``ZipError/writeFailed(archive:reason:)`` for a bad or duplicate name, an entry or archive
    ///   beyond 4 GiB, a write failure, or any error `produce` throws (wrapped).
    public func addFile(named name: String, method: ZipEntry.Method = .deflate,
                        _ produce: (_ write: ([UInt8]) throws -> Void) throws -> Void) throws(ZipError) {
        let path = try checkedName(name, directory: false)
        guard method == .stored || method == .deflate else {
            throw ZipError.writeFailed(archive: archive, reason: "entry '\(name)': only stored and deflate can be written")
        }
        let offset = position
        let nameBytes = Array(path.utf8)
        try emit(localHeader(name: nameBytes, method: method.code, crc: 0, compressed: 0, uncompressed: 0))
        var crc = CRC32()
        var uncompressed: UInt64 = 0
        var compressed: UInt64 = 0
        do {
            let deflater = method == .deflate ? try Deflater(level: compressionLevel) : nil
            let output: ([UInt8]) throws -> Void = { piece in
                compressed += UInt64(piece.count)
                try self.emit(piece)
            }
            try produce { piece in
                crc.update(piece)
                uncompressed += UInt64(piece.count)
                if let deflater { try deflater.feed(piece, finish: false, output) } else { try output(piece) }
            }
            if let deflater { try deflater.feed([], finish: true, output) }
        } catch let error as ZipError {
            throw error
        } catch {
            throw ZipError.writeFailed(archive: archive, reason: "entry '\(name)': \(error)")
        }
        guard uncompressed < 0xFFFF_FFFF, compressed < 0xFFFF_FFFF, offset < 0xFFFF_FFFF else {
            throw ZipError.writeFailed(archive: archive, reason: "entry '\(name)' or the archive exceeds 4 GiB (ZIP64 is not written)")
        }
        let record = Record(name: nameBytes, method: method.code, crc: crc.value, compressed: UInt32(compressed),
                            uncompressed: UInt32(uncompressed), offset: UInt32(offset), isDirectory: false)
        try patch(at: offset + 14, with: {
            var fields: [UInt8] = []
            fields.appendLE32(record.crc)
            fields.appendLE32(record.compressed)
            fields.appendLE32(record.uncompressed)
            return fields
        }())
        records.append(record)
    }

    /// Adds an empty folder entry (`name/`).
    public func addDirectory(named name: String) throws(ZipError) {
        let path = try checkedName(name, directory: true)
        let nameBytes = Array((path + "/").utf8)
        guard position < 0xFFFF_FFFF else { throw ZipError.writeFailed(archive: archive, reason: "the archive exceeds 4 GiB") }
        let offset = UInt32(position)
        try emit(localHeader(name: nameBytes, method: 0, crc: 0, compressed: 0, uncompressed: 0))
        records.append(Record(name: nameBytes, method: 0, crc: 0, compressed: 0, uncompressed: 0, offset: offset, isDirectory: true))
    }

    /// Writes the central directory and end record, and closes the file. No entry can be added afterwards.
    public func finish() throws(ZipError) {
        guard !finished else { return }
        guard records.count < 0xFFFF else {
            throw ZipError.writeFailed(archive: archive, reason: "\(records.count) entries need ZIP64, which is not written")
        }
        let start = position
        for record in records {
            var header: [UInt8] = []
            header.appendLE32(0x0201_4B50)
            header.appendLE16(3 << 8 | 20)       // made by Unix, version 2.0
            header.appendLE16(20)
            header.appendLE16(0x0800)            // UTF-8 names
            header.appendLE16(record.method)
            header.appendLE16(dosTime)
            header.appendLE16(dosDate)
            header.appendLE32(record.crc)
            header.appendLE32(record.compressed)
            header.appendLE32(record.uncompressed)
            header.appendLE16(UInt16(record.name.count))
            header.appendLE16(0)                 // extra
            header.appendLE16(0)                 // comment
            header.appendLE16(0)                 // disk
            header.appendLE16(0)                 // internal attributes
            let mode: UInt32 = record.isDirectory ? 0o040755 : 0o100644
            header.appendLE32(mode << 16 | (record.isDirectory ? 0x10 : 0))
            header.appendLE32(record.offset)
            try emit(header + record.name)
        }
        let size = position - start
        guard position < 0xFFFF_FFFF else { throw ZipError.writeFailed(archive: archive, reason: "the archive exceeds 4 GiB") }
        var end: [UInt8] = []
        end.appendLE32(0x0605_4B50)
        end.appendLE16(0)
        end.appendLE16(0)
        end.appendLE16(UInt16(records.count))
        end.appendLE16(UInt16(records.count))
        end.appendLE32(UInt32(size))
        end.appendLE32(UInt32(start))
        end.appendLE16(0)
        try emit(end)
        finished = true
        if case let .file(fd) = sink, fsync(fd) != 0 {
            throw ZipError.writeFailed(archive: archive, reason: FileAccessError.systemReason())
        }
    }

    /// Finishes an in-memory archive and returns its bytes.
    public func finishedBytes() throws(ZipError) -> [UInt8] {
        try finish()
        return buffer
    }

    /// Builds an in-memory archive from `(name, bytes)` pairs.
    public static func archive(_ files: [(name: String, bytes: [UInt8])], method: ZipEntry.Method = .deflate) throws(ZipError) -> [UInt8] {
        let writer = ZipWriter()
        for file in files { try writer.addFile(named: file.name, bytes: file.bytes, method: method) }
        return try writer.finishedBytes()
    }

    private func checkedName(_ name: String, directory: Bool) throws(ZipError) -> String {
        guard !finished else { throw ZipError.writeFailed(archive: archive, reason: "the archive is already finished") }
        let trimmed = directory && name.hasSuffix("/") ? String(name.dropLast()) : name
        guard case let .success(path) = ZipPath.normalize(trimmed), path == trimmed else {
            throw ZipError.writeFailed(archive: archive, reason: "unsafe or unnormalised entry name '\(name)'")
        }
        guard names.insert(path).inserted else { throw ZipError.writeFailed(archive: archive, reason: "duplicate entry name '\(name)'") }
        guard path.utf8.count <= 0xFFFF else { throw ZipError.writeFailed(archive: archive, reason: "entry name too long") }
        return path
    }

    private func localHeader(name: [UInt8], method: UInt16, crc: UInt32, compressed: UInt32, uncompressed: UInt32) -> [UInt8] {
        var header: [UInt8] = []
        header.appendLE32(0x0403_4B50)
        header.appendLE16(20)
        header.appendLE16(0x0800)
        header.appendLE16(method)
        header.appendLE16(dosTime)
        header.appendLE16(dosDate)
        header.appendLE32(crc)
        header.appendLE32(compressed)
        header.appendLE32(uncompressed)
        header.appendLE16(UInt16(name.count))
        header.appendLE16(0)
        return header + name
    }

    private func emit(_ bytes: [UInt8]) throws(ZipError) {
        switch sink {
        case .memory:
            buffer.append(contentsOf: bytes)
        case let .file(fd):
            var written = 0
            while written < bytes.count {
                let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ZipError.writeFailed(archive: archive, reason: FileAccessError.systemReason())
                }
                written += n
            }
        }
        position += UInt64(bytes.count)
    }

    private func patch(at offset: UInt64, with bytes: [UInt8]) throws(ZipError) {
        switch sink {
        case .memory:
            buffer.replaceSubrange(Int(offset)..<Int(offset) + bytes.count, with: bytes)
        case let .file(fd):
            let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress!, bytes.count, off_t(offset)) }
            guard n == bytes.count else {
                throw ZipError.writeFailed(archive: archive, reason: n < 0 ? FileAccessError.systemReason() : "short write")
            }
        }
    }

    /// The current UTC time as MS-DOS time and date fields.
    private static func dosTimestamp() -> (UInt16, UInt16) {
        var now = time(nil)
        var parts = tm()
        guard gmtime_r(&now, &parts) != nil, parts.tm_year >= 80 else { return (0, 0x21) }
        let time = UInt16(parts.tm_hour) << 11 | UInt16(parts.tm_min) << 5 | UInt16(parts.tm_sec / 2)
        let date = UInt16(parts.tm_year - 80) << 9 | UInt16(parts.tm_mon + 1) << 5 | UInt16(parts.tm_mday)
        return (time, date)
    }
}
