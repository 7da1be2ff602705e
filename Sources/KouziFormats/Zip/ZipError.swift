/// An error reading or writing a ZIP archive. Every message names the archive, and the entry and byte
/// offset where they are known.
public enum ZipError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The archive file could not be opened or read.
    case unreadable(archive: String, reason: String)
    /// No end-of-central-directory record was found: the file is not a ZIP archive or its end is missing.
    case notAZip(archive: String, reason: String)
    /// A structure ends past the end of the file.
    case truncated(archive: String, structure: String, offset: Int64)
    /// A structure has a wrong signature or inconsistent fields.
    case corruptStructure(archive: String, structure: String, offset: Int64, reason: String)
    /// The archive spans several disks.
    case multiDisk(archive: String)
    /// An entry name escapes the extraction folder or is otherwise unsafe.
    case unsafePath(archive: String, entry: String, reason: String)
    /// An entry is a symbolic link.
    case symbolicLink(archive: String, entry: String)
    /// An entry is a device, FIFO or socket.
    case specialFile(archive: String, entry: String, mode: UInt32)
    /// An entry is encrypted.
    case encrypted(archive: String, entry: String)
    /// Two entries have the same name.
    case duplicateEntry(archive: String, entry: String)
    /// Two entries' data overlap (a trick of some decompression bombs).
    case overlappingEntries(archive: String, entry: String, other: String)
    /// An entry uses a compression method other than stored (0) or deflate (8).
    case unsupportedMethod(archive: String, entry: String, method: UInt16)
    /// The archive has more entries than ``ZipLimits/maxEntries`` allows.
    case tooManyEntries(archive: String, count: Int, limit: Int)
    /// The declared uncompressed sizes add up to more than ``ZipLimits/maxTotalUncompressedBytes``.
    case totalSizeLimit(archive: String, totalBytes: UInt64, limit: UInt64)
    /// One entry declares more than ``ZipLimits/maxEntryUncompressedBytes``.
    case entrySizeLimit(archive: String, entry: String, bytes: UInt64, limit: UInt64)
    /// One entry compresses better than ``ZipLimits/maxCompressionRatio`` allows.
    case compressionRatio(archive: String, entry: String, ratio: Double, limit: Double)
    /// The extracted data has another size than the central directory declares.
    case sizeMismatch(archive: String, entry: String, declared: UInt64, actual: UInt64)
    /// The extracted data fails its CRC-32 check.
    case crcMismatch(archive: String, entry: String, declared: UInt32, actual: UInt32)
    /// The compressed data of an entry is corrupt.
    case corruptData(archive: String, entry: String, reason: String)
    /// The local header names another file than the central directory.
    case nameMismatch(archive: String, entry: String, localName: String)
    /// No entry has the requested name.
    case entryNotFound(archive: String, entry: String)
    /// A ``ZipWriter`` was given an unusable name or data, or could not write.
    case writeFailed(archive: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(archive, reason):
            return "cannot read ZIP archive '\(archive)': \(reason)"
        case let .notAZip(archive, reason):
            return "\(archive): not a ZIP archive: \(reason)"
        case let .truncated(archive, structure, offset):
            return "\(archive): truncated archive: the \(structure) at offset \(offset) ends past the end of the file"
        case let .corruptStructure(archive, structure, offset, reason):
            return "\(archive): corrupt \(structure) at offset \(offset): \(reason)"
        case let .multiDisk(archive):
            return "\(archive): multi-disk (split) archives are not supported"
        case let .unsafePath(archive, entry, reason):
            return "\(archive): unsafe entry name '\(entry)': \(reason)"
        case let .symbolicLink(archive, entry):
            return "\(archive): entry '\(entry)' is a symbolic link, which is not allowed"
        case let .specialFile(archive, entry, mode):
            return "\(archive): entry '\(entry)' is a special file (mode 0o\(String(mode, radix: 8))), which is not allowed"
        case let .encrypted(archive, entry):
            return "\(archive): entry '\(entry)' is encrypted, which is not supported"
        case let .duplicateEntry(archive, entry):
            return "\(archive): the name '\(entry)' occurs more than once"
        case let .overlappingEntries(archive, entry, other):
            return "\(archive): the data of entries '\(entry)' and '\(other)' overlap"
        case let .unsupportedMethod(archive, entry, method):
            return "\(archive): entry '\(entry)' uses compression method \(method); only stored (0) and deflate (8) are supported"
        case let .tooManyEntries(archive, count, limit):
            return "\(archive): \(count) entries exceed the limit of \(limit)"
        case let .totalSizeLimit(archive, total, limit):
            return "\(archive): the entries expand to \(total) bytes, more than the limit of \(limit)"
        case let .entrySizeLimit(archive, entry, bytes, limit):
            return "\(archive): entry '\(entry)' expands to \(bytes) bytes, more than the limit of \(limit)"
        case let .compressionRatio(archive, entry, ratio, limit):
            let shown = (ratio * 10).rounded() / 10
            return "\(archive): entry '\(entry)' has a compression ratio of \(shown), above the limit of \(limit) (possible decompression bomb)"
        case let .sizeMismatch(archive, entry, declared, actual):
            let relation = actual > declared ? "more than" : "other than"
            return "\(archive): entry '\(entry)' expands to \(actual) bytes, \(relation) the declared \(declared)"
        case let .crcMismatch(archive, entry, declared, actual):
            return "\(archive): entry '\(entry)' fails its CRC-32 check: declared \(Self.hex(declared)), computed \(Self.hex(actual))"
        case let .corruptData(archive, entry, reason):
            return "\(archive): corrupt data in entry '\(entry)': \(reason)"
        case let .nameMismatch(archive, entry, localName):
            return "\(archive): the local header of entry '\(entry)' names '\(localName)'"
        case let .entryNotFound(archive, entry):
            return "\(archive): no entry named '\(entry)'"
        case let .writeFailed(archive, reason):
            return "cannot write ZIP archive '\(archive)': \(reason)"
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
