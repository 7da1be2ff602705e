/// Validation of entry names from untrusted archives.
///
/// A safe name is relative, uses `/` as its separator, has no `..` component, no backslash, no drive
/// letter, no NUL or other control character, and is not empty. Empty and `.` components are dropped.
public enum ZipPath {
    /// The normalised form of `name`, or the reason it is unsafe.
    ///
    /// ```swift
    /// ZipPath.normalize("a/./b//c.txt")    // .success("a/b/c.txt")
    /// ZipPath.normalize("../etc/passwd")   // .failure("it contains a '..' component")
    /// ```
    public static func normalize(_ name: String) -> Result<String, UnsafeName> {
        if name.isEmpty { return .failure(UnsafeName("the name is empty")) }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return .failure(UnsafeName("it contains a control character"))
        }
        if name.contains("\\") { return .failure(UnsafeName("it contains a backslash")) }
        if name.hasPrefix("/") { return .failure(UnsafeName("it is an absolute path")) }
        let scalars = Array(name.unicodeScalars.prefix(2))
        if scalars.count == 2, scalars[1] == ":", scalars[0].isASCII,
           Character(scalars[0]).isLetter {
            return .failure(UnsafeName("it starts with a drive letter"))
        }
        var parts: [Substring] = []
        for part in name.split(separator: "/", omittingEmptySubsequences: true) {
            if part == ".." { return .failure(UnsafeName("it contains a '..' component")) }
            if part == "." { continue }
            if part.contains(":") { return .failure(UnsafeName("a component contains ':'")) }
            parts.append(part)
        }
        if parts.isEmpty { return .failure(UnsafeName("it names no file")) }
        return .success(parts.joined(separator: "/"))
    }

    /// Whether an entry is operating-system clutter to skip: anything under `__MACOSX/`, and `.DS_Store`
    /// files, at any depth.
    public static func isIgnored(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        return parts.first == "__MACOSX" || parts.last == ".DS_Store"
    }

    /// Why a name is unsafe.
    public struct UnsafeName: Error, Equatable, Sendable, CustomStringConvertible {
        /// The reason, such as "it contains a '..' component".
        public let reason: String
        /// Creates a reason.
        public init(_ reason: String) { self.reason = reason }
        public var description: String { reason }
    }
}
