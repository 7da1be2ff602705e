import Crypto
import Foundation
import KouziInference
import KouziTraining

/// Writes edge bundles: a self-contained folder that predicts with no server, holding the `.kouzi` model of a
/// version's package under `model/`, the `kouzi-infer` executable, `manifest.json` (what it holds, with the
/// SHA-256 of every file) and `README.txt`. The folder is built next to its destination and renamed into place,
/// so a failed export leaves nothing half-written.
public enum EdgeBundle {
    /// The executable a bundle carries.
    public static let binaryName = "kouzi-infer"

    /// What a bundle is exported from.
    public struct Source: Sendable {
        /// The deployment's name.
        public var deployment: String
        /// The registered model.
        public var model: EdgeManifest.Model
        /// The version served.
        public var version: Int64

        /// Names the deployment, model and version of a bundle.
        public init(deployment: String, model: EdgeManifest.Model, version: Int64) {
            self.deployment = deployment
            self.model = model
            self.version = version
        }
    }

    /// The `kouzi-infer` next to `executable` (the running `kouzi`), or an error naming the build command.
    public static func binary(besides executable: URL) throws -> URL {
        let candidate = executable.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent(binaryName)
        guard FileManager.default.isExecutableFile(atPath: candidate.path) else { throw EdgeBundleError.missingBinary(path: candidate.path) }
        return candidate
    }

    /// Writes the bundle of `source` at `destination` from the version's package (a ZIP) and `binary`; an existing
    /// destination is replaced only when `replace` is set. Returns the manifest written.
    @discardableResult
    public static func write(_ source: Source, package zipPath: String, binary: URL, to destination: URL,
                             replace: Bool = false, now: Date = Date()) throws -> EdgeManifest {
        let fm = FileManager.default
        guard fm.isExecutableFile(atPath: binary.path) else { throw EdgeBundleError.missingBinary(path: binary.path) }
        let target = destination.standardizedFileURL
        if fm.fileExists(atPath: target.path) && !replace { throw EdgeBundleError.destinationExists(path: target.path) }
        let parent = target.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).export-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: staging) }
        let manifest: EdgeManifest
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            try ModelPackage.unpack(zipPath: zipPath, into: staging.appendingPathComponent(EdgeManifest.modelFolder))
            let copied = staging.appendingPathComponent(binaryName)
            try fm.copyItem(at: binary, to: copied)
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copied.path)
            try Data(readme(source).utf8).write(to: staging.appendingPathComponent("README.txt"))
            manifest = EdgeManifest(deployment: source.deployment, model: source.model, version: source.version,
                                    exportedAt: ISO8601DateFormatter().string(from: now), files: try hashes(in: staging))
            try manifest.encoded().write(to: staging.appendingPathComponent(EdgeManifest.fileName))
        } catch let error as PlatformError {
            throw error
        } catch {
            throw EdgeBundleError.io(path: target.path, reason: "\(error)")
        }
        try install(staging, at: target)
        return manifest
    }

    /// Renames the finished folder into place, moving an older bundle aside first and removing it after.
    static func install(_ staging: URL, at target: URL) throws {
        let fm = FileManager.default
        let old = staging.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).old-\(UUID().uuidString)")
        do {
            if fm.fileExists(atPath: target.path) { try fm.moveItem(at: target, to: old) }
            try fm.moveItem(at: staging, to: target)
        } catch {
            if fm.fileExists(atPath: old.path) && !fm.fileExists(atPath: target.path) { try? fm.moveItem(at: old, to: target) }
            throw EdgeBundleError.io(path: target.path, reason: "\(error)")
        }
        try? fm.removeItem(at: old)
    }

    /// The SHA-256 of every file under `folder`, by `/`-separated relative path.
    static func hashes(in folder: URL) throws -> [String: String] {
        let fm = FileManager.default
        var result: [String: String] = [:]
        let paths = (fm.subpaths(atPath: folder.path) ?? []).sorted()
        for path in paths where !fm.isDirectory(folder.appendingPathComponent(path).path) {
            let handle = try FileHandle(forReadingFrom: folder.appendingPathComponent(path))
            defer { try? handle.close() }
            var hasher = SHA256()
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
            result[path] = hasher.finalize().hexString
        }
        return result
    }

    /// How to run the bundle.
    static func readme(_ source: Source) -> String {
        """
        Edge bundle of deployment '\(source.deployment)': model '\(source.model.name)' (id \(source.model.id)), version \(source.version).

        It predicts with no server. kouzi-infer carries its runtime and needs only glibc (Linux x86-64 with AVX2).

          ./kouzi-infer --metadata                        the model's inputs and outputs (Open Inference Protocol V2)
          ./kouzi-infer --input request.json              a V2 infer request as JSON; prints the V2 response
          ./kouzi-infer --format csv --input rows.csv     CSV rows with a header; prints CSV predictions
          ./kouzi-infer --help                            every option

        Without --input it reads standard input. model/ holds the .kouzi model; manifest.json lists the SHA-256
        of every file (check with: sha256sum kouzi-infer model/*).

        """
    }
}
