/// Assigns files to classes by folder: `class/file` or `root/class/file` with one wrapping folder.
struct ClassLayout {
    /// The wrapping folder shared by all files, when there is one.
    var root: String?

    /// Detects a single top-level folder wrapping class folders: every file shares the first component
    /// and at least one file sits two or more folders deep.
    init(paths: [[String]]) {
        guard let first = paths.first?.first, paths.count > 0,
              paths.allSatisfy({ $0.count >= 2 && $0.first == first }),
              paths.contains(where: { $0.count >= 3 }) else { return }
        root = first
    }

    /// The components below the wrapping folder.
    func relative(_ components: [String]) -> [String] {
        root == nil ? components : Array(components.dropFirst())
    }

    /// The class folder of a file, or the reason it has none.
    func classFolder(of components: [String]) -> Result<String, RejectedReason> {
        let rest = relative(components)
        if rest.count == 2 { return .success(rest[0]) }
        if rest.count < 2 { return .failure(RejectedReason("not inside a class folder")) }
        return .failure(RejectedReason("nested deeper than class/file"))
    }

    /// A reason string usable as an error.
    struct RejectedReason: Error {
        var text: String
        init(_ text: String) { self.text = text }
    }
}

/// Folders named `unlabeled` or `unlabelled` hold files waiting for a label: their files are counted apart,
/// never as a class.
public enum UnlabelledFolder {
    /// Whether a folder name marks unlabelled files (case-insensitive).
    public static func isName(_ folder: some StringProtocol) -> Bool {
        let name = folder.lowercased()
        return name == "unlabeled" || name == "unlabelled"
    }

    /// Whether a path inside an archive lies in such a folder.
    public static func contains(path: String) -> Bool {
        path.split(separator: "/").dropLast().contains { isName($0) }
    }
}
