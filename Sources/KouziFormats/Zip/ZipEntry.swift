/// One entry of a ZIP archive's central directory.
///
/// ``path`` is the validated, normalised name (no `.` or empty components, never absolute, never
/// containing `..`); ``rawName`` is the name as stored.
public struct ZipEntry: Sendable, Codable, Equatable, Hashable {
    /// The compression method: 0 stored, 8 deflate.
    public enum Method: Sendable, Codable, Equatable, Hashable {
        /// Uncompressed (method 0).
        case stored
        /// Raw deflate (method 8).
        case deflate
        /// Any other method number; extraction throws ``ZipError/unsupportedMethod(archive:entry:method:)``.
        case other(UInt16)

        /// The method number of the ZIP format.
        public var code: UInt16 {
            switch self {
            case .stored: return 0
            case .deflate: return 8
            case let .other(code): return code
            }
        }

        /// The method for a ZIP method number.
        public init(code: UInt16) {
            switch code {
            case 0: self = .stored
            case 8: self = .deflate
            default: self = .other(code)
            }
        }
    }

    /// The validated, normalised path, with a trailing `/` removed for folders.
    public var path: String
    /// The name exactly as the central directory stores it (decoded as UTF-8, or Latin-1 when not UTF-8).
    public var rawName: String
    /// The compression method.
    public var method: Method
    /// The general-purpose bit flags.
    public var flags: UInt16
    /// The declared CRC-32 of the uncompressed data.
    public var crc32: UInt32
    /// The declared compressed size in bytes.
    public var compressedSize: UInt64
    /// The declared uncompressed size in bytes.
    public var uncompressedSize: UInt64
    /// The offset of the entry's local header in the archive.
    public var localHeaderOffset: UInt64
    /// The "version made by" field; its high byte names the host system (3 is Unix).
    public var versionMadeBy: UInt16
    /// The external file attributes (on Unix hosts the high 16 bits are the file mode).
    public var externalAttributes: UInt32
    /// The MS-DOS modification time and date fields.
    public var dosTime: UInt16, dosDate: UInt16

    /// Whether the entry is a folder (its name ends with `/`, or its attributes say so).
    public var isDirectory: Bool {
        rawName.hasSuffix("/") || (unixMode.map { $0 & 0o170000 == 0o040000 } ?? false)
            || (externalAttributes & 0x10 != 0 && uncompressedSize == 0)
    }

    /// The Unix file mode when the archive was made on a Unix host and records one.
    public var unixMode: UInt32? {
        let mode = externalAttributes >> 16
        return versionMadeBy >> 8 == 3 && mode != 0 ? mode : nil
    }

    /// Whether the entry is a symbolic link.
    public var isSymbolicLink: Bool { unixMode.map { $0 & 0o170000 == 0o120000 } ?? false }

    /// Whether the entry is encrypted (traditional, strong or AES encryption).
    public var isEncrypted: Bool { flags & 0x0001 != 0 || flags & 0x0040 != 0 || method.code == 99 }

    /// The last path component.
    public var fileName: String { String(path.split(separator: "/").last ?? "") }

    /// The path components.
    public var components: [String] { path.split(separator: "/").map(String.init) }
}
