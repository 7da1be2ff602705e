import Foundation

/// The `manifest.json` of an edge bundle: which deployment, model and version it holds, when it was exported,
/// and the SHA-256 of every other file in the bundle (paths relative to the bundle, `/`-separated).
public struct EdgeManifest: Codable, Sendable, Equatable {
    /// The registered model a bundle was exported from.
    public struct Model: Codable, Sendable, Equatable {
        /// The model's id on the server.
        public var id: Int64
        /// The model's name on the server.
        public var name: String

        /// Names a registered model.
        public init(id: Int64, name: String) {
            self.id = id
            self.name = name
        }
    }

    /// The manifest's file name in a bundle.
    public static let fileName = "manifest.json"
    /// The folder of a bundle that holds the `.kouzi` model.
    public static let modelFolder = "model"
    /// The format version this build writes and reads.
    public static let currentFormat = 1

    /// The format version.
    public var format: Int
    /// The deployment the bundle was exported from; answers carry it as `model_name`.
    public var deployment: String
    /// The registered model.
    public var model: Model
    /// The model version; answers carry it as `model_version`.
    public var version: Int64
    /// When the bundle was exported (ISO 8601, UTC).
    public var exportedAt: String
    /// The SHA-256 (lowercase hex) of each file, by path relative to the bundle.
    public var files: [String: String]

    /// A manifest of the current format.
    public init(deployment: String, model: Model, version: Int64, exportedAt: String, files: [String: String]) {
        format = Self.currentFormat
        self.deployment = deployment
        self.model = model
        self.version = version
        self.exportedAt = exportedAt
        self.files = files
    }

    enum CodingKeys: String, CodingKey {
        case format, deployment, model, version, exportedAt = "exported_at", files
    }

    /// Reads the manifest at `path`.
    public static func read(from path: String) throws -> EdgeManifest {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw InferenceError.unreadable(source: path, reason: error.localizedDescription)
        }
        let manifest: EdgeManifest
        do { manifest = try JSONDecoder().decode(EdgeManifest.self, from: data) } catch {
            throw InferenceError.unreadable(source: path, reason: "not an edge bundle manifest (\(error))")
        }
        guard manifest.format <= currentFormat else {
            throw InferenceError.invalidBundle(path: path, reason: "its manifest has format \(manifest.format), "
                + "newer than this build reads (\(currentFormat))")
        }
        return manifest
    }

    /// The manifest as sorted, indented JSON.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
