import KouziBase

/// One file of a dataset upload, loaded on demand: a ZIP entry or a file on disk.
///
/// The summaries take sequences of these, so the same inspection works on an uploaded archive and on
/// an unpacked folder.
public struct DatasetFile: Sendable {
    /// The path relative to the dataset root, with `/` separators.
    public var path: String
    /// The size in bytes.
    public var size: UInt64
    private let loader: @Sendable () throws -> [UInt8]

    /// Creates a file description with a loader for its bytes.
    public init(path: String, size: UInt64, load: @escaping @Sendable () throws -> [UInt8]) {
        self.path = path
        self.size = size
        self.loader = load
    }

    /// Reads the bytes (for ZIP entries: extracts and verifies them).
    public func load() throws -> [UInt8] { try loader() }

    /// The path components.
    public var components: [String] { path.split(separator: "/").map(String.init) }

    /// The files of an archive (folders and ignored entries left out).
    public static func entries(of archive: ZipArchive) -> [DatasetFile] {
        archive.files.map { entry in
            DatasetFile(path: entry.path, size: entry.uncompressedSize) { try archive.contents(of: entry) }
        }
    }

    /// A single file on disk, named by its last path component.
    public static func file(atPath path: String) -> DatasetFile {
        let name = String(path.split(separator: "/").last ?? Substring(path))
        var info = stat()
        let size = stat(path, &info) == 0 ? UInt64(max(0, info.st_size)) : 0
        return DatasetFile(path: name, size: size) { try ByteSource(path: path).readAll() }
    }

    /// The regular files under `directory`, recursively, sorted by path; symbolic links, hidden
    /// `.DS_Store` files and `__MACOSX` folders are skipped.
    ///
    /// - Throws: ``InspectionError/unreadableDirectory(path:reason:)`` when a folder cannot be listed.
    public static func files(inDirectory directory: String) throws(InspectionError) -> [DatasetFile] {
        var result: [DatasetFile] = []
        try walk(directory, relative: "", into: &result)
        return result.sorted { $0.path < $1.path }
    }

    private static func walk(_ directory: String, relative: String, into result: inout [DatasetFile]) throws(InspectionError) {
        guard let handle = opendir(directory) else {
            throw InspectionError.unreadableDirectory(path: directory, reason: String(cString: strerror(errno)))
        }
        defer { closedir(handle) }
        while let item = readdir(handle) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let full = directory + "/" + name
            let path = relative.isEmpty ? name : relative + "/" + name
            if ZipPath.isIgnored(path) { continue }
            var info = stat()
            guard lstat(full, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: try walk(full, relative: path, into: &result)
            case S_IFREG:
                result.append(DatasetFile(path: path, size: UInt64(max(0, info.st_size))) { try ByteSource(path: full).readAll() })
            default: continue
            }
        }
    }
}
