import KouziBase

/// Finds the shared datasets folder (`shared/datasets`) that sits beside the repository checkout.
///
/// The search order is: the `KOUZI_DATASETS` environment variable (when it names a directory), then
/// every ancestor of the current directory, of `filePath` (the caller's source file), and of this
/// library's source file, checking `<ancestor>/shared/datasets`. With the repository at `/work/main`
/// this finds `/work/shared/datasets`.
///
/// ```swift
/// @Test(.enabled(if: DatasetLocator.directory(named: "mnist") != nil, "needs ../shared/datasets/mnist"))
/// func mnistLoads() throws { ... }
/// ```
public enum DatasetLocator {
    /// The environment variable that overrides the search.
    public static let environmentVariable = "KOUZI_DATASETS"

    /// The datasets folder, or nil when none is found.
    public static func datasetsDirectory(filePath: String = #filePath) -> String? {
        if let value = getenv(environmentVariable), case let path = String(cString: value), !path.isEmpty,
           FileBytes.isDirectory(path) {
            return path
        }
        var starts: [String] = []
        if let cwd = currentDirectory() { starts.append(cwd) }
        starts.append(parent(of: filePath))
        starts.append(parent(of: #filePath))
        starts += starts.compactMap(resolved)
        for start in starts {
            var directory = start
            while true {
                let candidate = (directory == "/" ? "" : directory) + "/shared/datasets"
                if FileBytes.isDirectory(candidate) { return candidate }
                let up = parent(of: directory)
                if up == directory { break }
                directory = up
            }
        }
        return nil
    }

    /// The folder of one dataset (such as `"mnist"` or `"sklearn-bundled"`), or nil when absent.
    public static func directory(named name: String, filePath: String = #filePath) -> String? {
        guard let root = datasetsDirectory(filePath: filePath) else { return nil }
        let path = root + "/" + name
        return FileBytes.isDirectory(path) ? path : nil
    }

    /// A message for a test skipped because a dataset is absent.
    public static func skipMessage(for name: String) -> String {
        "dataset '\(name)' not found: set \(environmentVariable) or place the data in ../shared/datasets/\(name)"
    }

    private static func currentDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The path with symbolic links resolved, or nil when that fails.
    private static func resolved(_ path: String) -> String? {
        guard let real = realpath(path, nil) else { return nil }
        defer { free(real) }
        let length = strlen(real)
        return real.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    /// The path without its last component (`/a/b` → `/a`, `/a` → `/`, `/` → `/`, `a` → `.`).
    private static func parent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }
}
