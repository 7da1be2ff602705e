#if canImport(Glibc)
import KouziBase
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Dataset where Element == String {
    /// The given file paths, one element each, for a `map` to read and decode.
    ///
    /// ```swift
    /// let examples = Dataset(files: paths).map(parallelism: 4) { path in try decodeImage(atPath: path) }
    /// ```
    public init(files paths: [String]) {
        self.init(paths)
    }

    /// The paths of the files under `directory`, listed lazily in a stable order (entries sorted by
    /// name, each subdirectory's files where it sorts), for a `map` to read and decode.
    ///
    /// Only one directory's entries are held at a time, so a tree of millions of files streams in
    /// bounded memory. Names starting with `.` are skipped; symbolic links are followed.
    ///
    /// - Parameters:
    ///   - extensions: the file name extensions to keep, compared without case and with or without the
    ///     dot (`["png", ".JPG"]`); empty keeps every file.
    ///   - recursive: whether to descend into subdirectories.
    /// - Throws (from ``DatasetIterator/next()``): ``DatasetError/unreadableFile(path:reason:)`` for a
    ///   directory that cannot be listed.
    public static func files(in directory: String, extensions: [String] = [], recursive: Bool = true) -> Dataset<String> {
        let wanted = Set(extensions.map { ($0.hasPrefix(".") ? String($0.dropFirst()) : $0).lowercased() })
        return Dataset(count: nil) { _ in
            let walker = DirectoryWalker(root: directory, recursive: recursive) { name in
                guard !wanted.isEmpty else { return true }
                guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
                return wanted.contains(name[name.index(after: dot)...].lowercased())
            }
            return DatasetIterator(walker.next)
        }
    }
}

/// Walks a directory tree depth-first, one directory listing at a time.
private final class DirectoryWalker {
    private let recursive: Bool
    private let accepts: (String) -> Bool
    /// Paths still to visit, the next one last.
    private var pending: [(path: String, isRoot: Bool)]

    init(root: String, recursive: Bool, accepts: @escaping (String) -> Bool) {
        self.recursive = recursive
        self.accepts = accepts
        pending = [(root, true)]
    }

    func next() throws -> String? {
        while let (path, isRoot) = pending.popLast() {
            if FileBytes.isDirectory(path) {
                if isRoot || recursive { try enqueueEntries(of: path) }
            } else if isRoot {
                throw DatasetError.unreadableFile(path: path, reason: FileBytes.exists(path) ? "it is not a directory" : "no such directory")
            } else if accepts(String(path[path.index(after: path.lastIndex(of: "/")!)...])) {
                return path
            }
        }
        return nil
    }

    private func enqueueEntries(of directory: String) throws {
        guard let handle = opendir(directory) else {
            throw DatasetError.unreadableFile(path: directory, reason: FileBytes.systemReason())
        }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if !name.hasPrefix(".") { names.append(name) }
        }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        pending += names.sorted(by: >).map { (prefix + $0, false) }
    }
}
