import KouziBase

/// The file that names a labelled data set's classes: `classes.txt`, one name per line in label order (class 0 on the
/// first line). IDX files hold label numbers only; with this file beside them, models answer names.
public enum ClassNamesFile {
    /// The file's conventional name.
    public static let name = "classes.txt"

    /// Why a class names file cannot be used.
    public struct Invalid: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// The names in the file at `path` (blank lines and surrounding spaces ignored), or nil when there is no such file.
    /// - Throws: ``Invalid`` for a file that cannot be read, is not UTF-8 text or names a class twice.
    public static func read(_ path: String) throws(Invalid) -> [String]? {
        guard FileBytes.exists(path) else { return nil }
        let bytes: [UInt8]
        do { bytes = try FileBytes.contents(of: path) } catch { throw Invalid(path: path, reason: error.reason) }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw Invalid(path: path, reason: "not UTF-8 text") }
        let names = text.split(whereSeparator: \.isNewline).map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        if let twice = names.indices.first(where: { names[..<$0].contains(names[$0]) }) {
            throw Invalid(path: path, reason: "class '\(names[twice])' is named twice")
        }
        return names.isEmpty ? nil : names
    }
}
