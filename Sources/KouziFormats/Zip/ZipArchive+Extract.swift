import KouziBase

extension ZipArchive {
    /// The size of the pieces read from the archive and handed to the caller while extracting.
    static let chunkSize = 1 << 16

    /// Extracts `entry` piece by piece, handing each decompressed piece to `body`.
    ///
    /// The data is checked as it streams: decompression stops as soon as it exceeds the declared size,
    /// and the CRC-32 and final size are verified at the end (so `body` may have seen data of an entry
    /// that then fails; discard it when this throws).
    ///
    /// - Throws: ``ZipError`` for unsupported methods, corrupt data, size or CRC mismatches, or a local
    ///   header that disagrees with the central directory; any error `body` throws.
    /// - Complexity: O(compressed + uncompressed size), with memory bounded by ``chunkSize``.
    public func extract(_ entry: ZipEntry, _ body: ([UInt8]) throws -> Void) throws {
        let name = entry.rawName
        guard !entry.isEncrypted else { throw ZipError.encrypted(archive: self.name, entry: name) }
        let dataStart = try dataOffset(of: entry)
        var crc = CRC32()
        var produced: UInt64 = 0
        func deliver(_ piece: [UInt8]) throws {
            produced += UInt64(piece.count)
            guard produced <= entry.uncompressedSize else {
                throw ZipError.sizeMismatch(archive: self.name, entry: name, declared: entry.uncompressedSize, actual: produced)
            }
            crc.update(piece)
            try body(piece)
        }
        switch entry.method {
        case .stored:
            var offset: UInt64 = 0
            while offset < entry.compressedSize {
                let take = Int(min(UInt64(Self.chunkSize), entry.compressedSize - offset))
                let piece = try read(at: dataStart + Int64(offset), length: take, entry: name)
                try deliver(piece)
                offset += UInt64(take)
            }
        case .deflate:
            let inflater = try Inflater(archive: self.name, entry: name)
            var offset: UInt64 = 0
            var finished = false
            while !finished {
                let take = Int(min(UInt64(Self.chunkSize), entry.compressedSize - offset))
                guard take > 0 else {
                    throw ZipError.corruptData(archive: self.name, entry: name,
                                               reason: "the deflate stream does not end within its \(entry.compressedSize) compressed bytes")
                }
                let piece = try read(at: dataStart + Int64(offset), length: take, entry: name)
                offset += UInt64(take)
                finished = try inflater.feed(piece) { try deliver($0) }
            }
        case let .other(code):
            throw ZipError.unsupportedMethod(archive: self.name, entry: name, method: code)
        }
        guard produced == entry.uncompressedSize else {
            throw ZipError.sizeMismatch(archive: self.name, entry: name, declared: entry.uncompressedSize, actual: produced)
        }
        guard crc.value == entry.crc32 else {
            throw ZipError.crcMismatch(archive: self.name, entry: name, declared: entry.crc32, actual: crc.value)
        }
    }

    /// The whole decompressed content of `entry`, verified against its CRC-32 and declared size.
    ///
    /// - Throws: ``ZipError`` as ``extract(_:_:)`` does.
    public func contents(of entry: ZipEntry) throws(ZipError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(Int(min(entry.uncompressedSize, 1 << 28)))
        do { try extract(entry) { output.append(contentsOf: $0) } } catch let error as ZipError { throw error } catch {
            throw ZipError.corruptData(archive: name, entry: entry.rawName, reason: "\(error)")
        }
        return output
    }

    /// The content of the entry whose path is `path`.
    ///
    /// - Throws: ``ZipError/entryNotFound(archive:entry:)`` when there is none, or any extraction error.
    public func contents(ofEntryNamed path: String) throws(ZipError) -> [UInt8] {
        guard let entry = entry(named: path) else { throw ZipError.entryNotFound(archive: name, entry: path) }
        return try contents(of: entry)
    }

    /// Extracts `entry` into a new file at `destination` (created with mode 0644, replacing any file).
    ///
    /// - Throws: ``ZipError`` for extraction problems, ``FileAccessError`` when the file cannot be written.
    public func extract(_ entry: ZipEntry, toFile destination: String) throws {
        let fd = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileAccessError(path: destination, reason: FileAccessError.systemReason()) }
        defer { close(fd) }
        try extract(entry) { piece in
            var written = 0
            while written < piece.count {
                let n = piece.withUnsafeBytes { write(fd, $0.baseAddress! + written, piece.count - written) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw FileAccessError(path: destination, reason: FileAccessError.systemReason())
                }
                written += n
            }
        }
    }

    /// Reads the local header of `entry`, checks it, and returns where the entry's data starts.
    private func dataOffset(of entry: ZipEntry) throws(ZipError) -> Int64 {
        let offset = Int64(entry.localHeaderOffset)
        let header = try read(at: offset, length: 30, entry: entry.rawName)
        guard header.le32(0) == 0x0403_4B50 else {
            throw ZipError.corruptStructure(archive: name, structure: "local header of '\(entry.rawName)'", offset: offset,
                                            reason: "bad signature")
        }
        let nameLength = Int(header.le16(26)!), extraLength = Int(header.le16(28)!)
        let localName = ZipText.decode(try read(at: offset + 30, length: nameLength, entry: entry.rawName),
                                       utf8Flag: header.le16(6)! & 0x0800 != 0)
        guard localName == entry.rawName else {
            throw ZipError.nameMismatch(archive: name, entry: entry.rawName, localName: localName)
        }
        let start = offset + 30 + Int64(nameLength) + Int64(extraLength)
        guard UInt64(start) <= UInt64(source.count), entry.compressedSize <= UInt64(source.count - start) else {
            throw ZipError.truncated(archive: name, structure: "data of '\(entry.rawName)'", offset: start)
        }
        return start
    }

    /// Reads exactly `length` bytes or throws.
    private func read(at offset: Int64, length: Int, entry: String) throws(ZipError) -> [UInt8] {
        let data: [UInt8]
        do { data = try source.read(at: offset, length: length) } catch {
            throw ZipError.unreadable(archive: name, reason: error.reason)
        }
        guard data.count == length else { throw ZipError.truncated(archive: name, structure: "data of '\(entry)'", offset: offset) }
        return data
    }
}
