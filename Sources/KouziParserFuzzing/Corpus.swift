import Foundation

/// The committed inputs of each fuzz target, one file per input under `Tests/Fuzz/corpus/<target>/`.
public enum Corpus {
    /// The regular files directly inside `directory`, sorted by name (empty when it does not exist).
    public static func files(in directory: String) -> [String] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory) else { return [] }
        return names.sorted().map { directory + "/" + $0 }.filter { path in
            var isDirectory: ObjCBool = false
            return manager.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }

    /// The files `paths` name, with each directory replaced by the files inside it.
    public static func expand(_ paths: [String]) -> [String] {
        paths.flatMap { path -> [String] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
            return isDirectory.boolValue ? files(in: path) : [path]
        }
    }

    /// The bytes of the file at `path`, or nil when it cannot be read.
    public static func contents(of path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }
}
