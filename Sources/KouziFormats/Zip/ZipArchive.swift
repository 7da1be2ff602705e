/// A ZIP archive opened for reading, with the safety checks an upload server needs.
///
/// Opening reads only the end records and the central directory; entry data is read one entry at a time
/// with `pread`, so multi-gigabyte archives never sit in memory whole. ZIP64 archives (more than 65,535
/// entries or 4 GiB) are supported. Opening rejects, with an error naming the entry:
///
/// - unsafe names (``ZipPath/normalize(_:)``: `..`, absolute paths, backslashes, drive letters),
/// - symbolic links and special files, encrypted entries, duplicate names, overlapping entry data,
/// - archives beyond ``ZipLimits`` (entry count, total and per-entry size, compression ratio).
///
/// `__MACOSX/` and `.DS_Store` entries are skipped and counted in ``ignoredEntryCount``.
///
/// ```swift
/// let archive = try ZipArchive(path: "upload.zip")
/// for entry in archive.files {
///     let bytes = try archive.contents(of: entry)      // CRC and size verified
/// }
/// ```
public struct ZipArchive: Sendable {
    /// The archive's name in error messages (its path, or the name given to in-memory bytes).
    public var name: String { source.name }
    /// The entries in central-directory order, without ignored ones.
    public let entries: [ZipEntry]
    /// How many `__MACOSX/` and `.DS_Store` entries were skipped.
    public let ignoredEntryCount: Int
    /// The archive comment.
    public let comment: String
    /// The limits the archive was checked against.
    public let limits: ZipLimits
    let source: ByteSource

    /// The entries that are files, not folders.
    public var files: [ZipEntry] { entries.filter { !$0.isDirectory } }

    /// The sum of the declared uncompressed sizes.
    public var totalUncompressedSize: UInt64 { entries.reduce(0) { $0 &+ $1.uncompressedSize } }

    /// Opens the archive at `path`.
    ///
    /// - Throws: ``ZipError`` when the file is unreadable, malformed, unsafe, or beyond `limits`.
    public init(path: String, limits: ZipLimits = .default) throws(ZipError) {
        let source: ByteSource
        do { source = try ByteSource(path: path) } catch {
            throw ZipError.unreadable(archive: path, reason: error.reason)
        }
        try self.init(source: source, limits: limits)
    }

    /// Opens an archive held in memory.
    public init(bytes: [UInt8], name: String = "<bytes>", limits: ZipLimits = .default) throws(ZipError) {
        try self.init(source: ByteSource(bytes: bytes, name: name), limits: limits)
    }

    /// Opens an archive from any byte source.
    public init(source: ByteSource, limits: ZipLimits = .default) throws(ZipError) {
        self.source = source
        self.limits = limits
        var reader = CentralDirectoryReader(source: source, limits: limits)
        let directory = try reader.read()
        self.entries = directory.entries
        self.ignoredEntryCount = directory.ignored
        self.comment = directory.comment
    }

    /// The entry whose normalised ``ZipEntry/path`` is `path`, or nil.
    public func entry(named path: String) -> ZipEntry? {
        let wanted = (try? ZipPath.normalize(path).get()) ?? path
        return entries.first { $0.path == wanted }
    }
}
