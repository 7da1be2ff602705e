/// Parses and validates the end records and central directory of an archive.
struct CentralDirectoryReader {
    let source: ByteSource
    let limits: ZipLimits
    private var archive: String { source.name }

    /// What ``read()`` found.
    struct Directory {
        var entries: [ZipEntry]
        var ignored: Int
        var comment: String
    }

    init(source: ByteSource, limits: ZipLimits) {
        self.source = source
        self.limits = limits
    }

    private func bytes(at offset: Int64, length: Int, structure: String) throws(ZipError) -> [UInt8] {
        let data: [UInt8]
        do { data = try source.read(at: offset, length: length) } catch {
            throw ZipError.unreadable(archive: archive, reason: error.reason)
        }
        guard data.count == length else { throw ZipError.truncated(archive: archive, structure: structure, offset: offset) }
        return data
    }

    mutating func read() throws(ZipError) -> Directory {
        let end = try findEndRecord()
        var (count, size, offset) = (UInt64(end.entries), UInt64(end.size), UInt64(end.offset))
        if end.needsZip64 {
            (count, size, offset) = try readZip64End(endOffset: end.position)
        }
        guard count <= UInt64(limits.maxEntries) else {
            throw ZipError.tooManyEntries(archive: archive, count: Int(clamping: count), limit: limits.maxEntries)
        }
        guard offset <= UInt64(source.count), size <= UInt64(source.count) - offset else {
            throw ZipError.corruptStructure(archive: archive, structure: "end of central directory record",
                                            offset: end.position,
                                            reason: "the central directory (offset \(offset), \(size) bytes) lies outside the \(source.count)-byte file")
        }
        guard size <= UInt64(Int32.max) else {
            throw ZipError.corruptStructure(archive: archive, structure: "central directory", offset: Int64(offset),
                                            reason: "its size \(size) is implausibly large")
        }
        // Each record needs at least 46 bytes, which also bounds `count` by the directory's size.
        guard count <= size / 46 else {
            throw ZipError.corruptStructure(archive: archive, structure: "end of central directory record",
                                            offset: end.position,
                                            reason: "\(count) entries cannot fit in a \(size)-byte central directory")
        }
        let directory = try bytes(at: Int64(offset), length: Int(size), structure: "central directory")
        var entries: [ZipEntry] = []
        var ignored = 0
        var position = 0
        var total: UInt64 = 0
        var seen = Set<String>()
        for _ in 0..<count {
            let recordOffset = Int64(offset) + Int64(position)
            let entry = try parseRecord(directory, at: &position, fileOffset: recordOffset)
            if ZipPath.isIgnored(entry.path) {
                ignored += 1
                continue
            }
            try validate(entry)
            guard seen.insert(entry.isDirectory ? entry.path + "/" : entry.path).inserted else {
                throw ZipError.duplicateEntry(archive: archive, entry: entry.rawName)
            }
            total = total &+ entry.uncompressedSize
            guard total <= limits.maxTotalUncompressedBytes, total >= entry.uncompressedSize else {
                throw ZipError.totalSizeLimit(archive: archive, totalBytes: total < entry.uncompressedSize ? .max : total,
                                              limit: limits.maxTotalUncompressedBytes)
            }
            entries.append(entry)
        }
        try checkOverlaps(entries)
        return Directory(entries: entries, ignored: ignored, comment: end.comment)
    }

    private struct EndRecord {
        var position: Int64
        var entries: UInt16
        var size: UInt32
        var offset: UInt32
        var comment: String
        var needsZip64: Bool { entries == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF }
    }

    /// Searches the last 64 KiB + 22 bytes for the end-of-central-directory signature.
    private func findEndRecord() throws(ZipError) -> EndRecord {
        guard source.count >= 22 else {
            throw ZipError.notAZip(archive: archive, reason: "the file has \(source.count) bytes, fewer than the 22 of an end record")
        }
        let window = Int(min(source.count, 22 + 0xFFFF))
        let start = source.count - Int64(window)
        let tail = try bytes(at: start, length: window, structure: "end of central directory record")
        var candidate = window - 22
        while candidate >= 0 {
            if tail[candidate] == 0x50, tail.le32(candidate) == 0x0605_4B50,
               let commentLength = tail.le16(candidate + 20), candidate + 22 + Int(commentLength) <= window {
                let disk = tail.le16(candidate + 4)!, cdDisk = tail.le16(candidate + 6)!
                let diskEntries = tail.le16(candidate + 8)!, entries = tail.le16(candidate + 10)!
                guard disk == 0 || disk == 0xFFFF, cdDisk == 0 || cdDisk == 0xFFFF, diskEntries == entries else {
                    throw ZipError.multiDisk(archive: archive)
                }
                let commentBytes = Array(tail[(candidate + 22)..<(candidate + 22 + Int(commentLength))])
                return EndRecord(position: start + Int64(candidate), entries: entries, size: tail.le32(candidate + 12)!,
                                 offset: tail.le32(candidate + 16)!, comment: ZipText.decode(commentBytes, utf8Flag: false))
            }
            candidate -= 1
        }
        throw ZipError.notAZip(archive: archive, reason: "no end-of-central-directory record in the last \(window) bytes")
    }

    /// Reads the ZIP64 locator just before the end record and the ZIP64 end record it points to.
    private func readZip64End(endOffset: Int64) throws(ZipError) -> (UInt64, UInt64, UInt64) {
        let locatorOffset = endOffset - 20
        guard locatorOffset >= 0 else {
            throw ZipError.corruptStructure(archive: archive, structure: "end of central directory record", offset: endOffset,
                                            reason: "it asks for ZIP64 values but no ZIP64 locator precedes it")
        }
        let locator = try bytes(at: locatorOffset, length: 20, structure: "ZIP64 end of central directory locator")
        guard locator.le32(0) == 0x0706_4B50 else {
            throw ZipError.corruptStructure(archive: archive, structure: "ZIP64 end of central directory locator",
                                            offset: locatorOffset, reason: "bad signature")
        }
        guard locator.le32(16)! <= 1 else { throw ZipError.multiDisk(archive: archive) }
        let recordOffset = locator.le64(8)!
        guard recordOffset <= UInt64(locatorOffset) else {
            throw ZipError.corruptStructure(archive: archive, structure: "ZIP64 end of central directory locator",
                                            offset: locatorOffset, reason: "record offset \(recordOffset) lies past the locator")
        }
        let record = try bytes(at: Int64(recordOffset), length: 56, structure: "ZIP64 end of central directory record")
        guard record.le32(0) == 0x0606_4B50 else {
            throw ZipError.corruptStructure(archive: archive, structure: "ZIP64 end of central directory record",
                                            offset: Int64(recordOffset), reason: "bad signature")
        }
        guard record.le32(16) == 0, record.le32(20) == 0, record.le64(24) == record.le64(32) else {
            throw ZipError.multiDisk(archive: archive)
        }
        return (record.le64(32)!, record.le64(40)!, record.le64(48)!)
    }

    /// Parses one central-directory record at `position` and advances past it.
    private func parseRecord(_ d: [UInt8], at position: inout Int, fileOffset: Int64) throws(ZipError) -> ZipEntry {
        let structure = "central directory record"
        guard let signature = d.le32(position), let nameLength = d.le16(position + 28),
              let extraLength = d.le16(position + 30), let commentLength = d.le16(position + 32) else {
            throw ZipError.truncated(archive: archive, structure: structure, offset: fileOffset)
        }
        guard signature == 0x0201_4B50 else {
            throw ZipError.corruptStructure(archive: archive, structure: structure, offset: fileOffset, reason: "bad signature")
        }
        let nameStart = position + 46
        let extraStart = nameStart + Int(nameLength)
        let next = extraStart + Int(extraLength) + Int(commentLength)
        guard next <= d.count else { throw ZipError.truncated(archive: archive, structure: structure, offset: fileOffset) }
        let flags = d.le16(position + 8)!
        let rawName = ZipText.decode(Array(d[nameStart..<extraStart]), utf8Flag: flags & 0x0800 != 0)
        var compressed = UInt64(d.le32(position + 20)!)
        var uncompressed = UInt64(d.le32(position + 24)!)
        var localOffset = UInt64(d.le32(position + 42)!)
        let disk = d.le16(position + 34)!
        if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF {
            let extra = Array(d[extraStart..<(extraStart + Int(extraLength))])
            guard let zip64 = Self.zip64Field(extra) else {
                throw ZipError.corruptStructure(archive: archive, structure: structure, offset: fileOffset,
                                                reason: "entry '\(rawName)' needs a ZIP64 extra field but has none")
            }
            var cursor = 0
            func next64() -> UInt64? {
                defer { cursor += 8 }
                return zip64.le64(cursor)
            }
            if uncompressed == 0xFFFF_FFFF { uncompressed = next64() ?? .max }
            if compressed == 0xFFFF_FFFF { compressed = next64() ?? .max }
            if localOffset == 0xFFFF_FFFF { localOffset = next64() ?? .max }
            guard cursor <= zip64.count else {
                throw ZipError.corruptStructure(archive: archive, structure: structure, offset: fileOffset,
                                                reason: "the ZIP64 extra field of entry '\(rawName)' is too short")
            }
        }
        guard disk == 0 || disk == 0xFFFF else { throw ZipError.multiDisk(archive: archive) }
        let path: String
        switch ZipPath.normalize(rawName) {
        case let .success(normalized): path = normalized
        case let .failure(problem): throw ZipError.unsafePath(archive: archive, entry: rawName, reason: problem.reason)
        }
        let record = position
        position = next
        return ZipEntry(path: path, rawName: rawName, method: .init(code: d.le16(record + 10)!), flags: flags,
                        crc32: d.le32(record + 16)!, compressedSize: compressed, uncompressedSize: uncompressed,
                        localHeaderOffset: localOffset, versionMadeBy: d.le16(record + 4)!,
                        externalAttributes: d.le32(record + 38)!, dosTime: d.le16(record + 12)!,
                        dosDate: d.le16(record + 14)!)
    }

    /// The data of the ZIP64 extended-information extra field (header 0x0001), or nil.
    private static func zip64Field(_ extra: [UInt8]) -> [UInt8]? {
        var i = 0
        while let id = extra.le16(i), let length = extra.le16(i + 2) {
            let end = i + 4 + Int(length)
            guard end <= extra.count else { return nil }
            if id == 0x0001 { return Array(extra[(i + 4)..<end]) }
            i = end
        }
        return nil
    }

    /// Applies the per-entry safety rules and limits.
    private func validate(_ entry: ZipEntry) throws(ZipError) {
        let name = entry.rawName
        if entry.isSymbolicLink { throw ZipError.symbolicLink(archive: archive, entry: name) }
        if let mode = entry.unixMode {
            let type = mode & 0o170000
            if type != 0 && type != 0o100000 && type != 0o040000 {
                throw ZipError.specialFile(archive: archive, entry: name, mode: mode)
            }
        }
        if entry.isEncrypted { throw ZipError.encrypted(archive: archive, entry: name) }
        if entry.uncompressedSize > limits.maxEntryUncompressedBytes {
            throw ZipError.entrySizeLimit(archive: archive, entry: name, bytes: entry.uncompressedSize,
                                          limit: limits.maxEntryUncompressedBytes)
        }
        if entry.uncompressedSize >= limits.ratioCheckMinimumBytes {
            let ratio = Double(entry.uncompressedSize) / Double(max(entry.compressedSize, 1))
            if ratio > limits.maxCompressionRatio {
                throw ZipError.compressionRatio(archive: archive, entry: name, ratio: ratio, limit: limits.maxCompressionRatio)
            }
        }
        if entry.method == .stored && entry.compressedSize != entry.uncompressedSize && !entry.isEncrypted {
            throw ZipError.corruptStructure(archive: archive, structure: "central directory record", offset: -1,
                                            reason: "stored entry '\(name)' declares \(entry.compressedSize) compressed but \(entry.uncompressedSize) uncompressed bytes")
        }
        guard entry.localHeaderOffset <= UInt64(source.count),
              entry.compressedSize <= UInt64(source.count) - entry.localHeaderOffset else {
            throw ZipError.corruptStructure(archive: archive, structure: "central directory record", offset: -1,
                                            reason: "entry '\(name)' (offset \(entry.localHeaderOffset), \(entry.compressedSize) bytes) lies outside the \(source.count)-byte file")
        }
    }

    /// Rejects entries whose local header and data would overlap the next entry's.
    private func checkOverlaps(_ entries: [ZipEntry]) throws(ZipError) {
        let sorted = entries.sorted { $0.localHeaderOffset < $1.localHeaderOffset }
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            let minimalEnd = a.localHeaderOffset &+ 30 &+ UInt64(a.rawName.utf8.count) &+ a.compressedSize
            if minimalEnd > b.localHeaderOffset {
                throw ZipError.overlappingEntries(archive: archive, entry: a.rawName, other: b.rawName)
            }
        }
    }
}

/// Decoding of names and comments: UTF-8 when valid, otherwise Latin-1.
enum ZipText {
    /// Decodes `bytes`; the UTF-8 flag is advisory because many tools write UTF-8 without setting it.
    static func decode(_ bytes: [UInt8], utf8Flag: Bool) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }
}
