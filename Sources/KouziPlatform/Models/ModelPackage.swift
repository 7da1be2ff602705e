import KouziBase
import Foundation
import KouziFormats
import KouziNN
import KouziRec

/// Reads and checks an uploaded model package: a ZIP holding `model.json` and `weights.safetensors` (a network), or
/// `recommender.json` and `factors.safetensors` (a recommender), at its root or inside one folder (`NAME.kouzi/`).
/// The model must load, so a registered version is always servable.
public enum ModelPackage {
    /// The two files of each kind of package.
    static let networkFiles = [ModelFile.manifestName, ModelFile.weightsName]
    static let recommenderFiles = [FactorRecommender.manifestName, "factors.safetensors"]

    /// Validates the package and returns its signature; it is unpacked into `directory` (a fresh temporary path,
    /// removed afterwards).
    static func inspect(zipPath: String, scratch directory: URL) throws -> JSONValue {
        defer { try? FileManager.default.removeItem(at: directory) }
        try unpack(zipPath: zipPath, into: directory)
        if FactorRecommender.isSaved(in: directory.path) {
            let model: FactorRecommender
            do { model = try FactorRecommender.load(from: directory.path) } catch {
                throw PlatformError(.unprocessable, code: "invalid_model_package", "the recommender does not load: \(error)")
            }
            return .object(["kind": .string("recommender"), "algorithm": .string(model.algorithm),
                            "feedback": .string(model.feedback.rawValue), "users": .number(Double(model.users.count)),
                            "items": .number(Double(model.items.count)), "factors": .number(Double(model.factors))])
        }
        let manifest: ModelFile.Manifest
        do {
            _ = try Model.load(from: directory.path)
            let data = try Data(contentsOf: directory.appendingPathComponent(ModelFile.manifestName))
            manifest = try JSONDecoder().decode(ModelFile.Manifest.self, from: data)
        } catch {
            throw PlatformError(.unprocessable, code: "invalid_model_package", "the model does not load: \(error)")
        }
        var signature: [String: JSONValue] = [
            "inputs": try toJSON(manifest.inputs),
            "outputs": try toJSON(manifest.outputs),
        ]
        if let labels = manifest.classLabels { signature["classLabels"] = .array(labels.map { .string($0) }) }
        return .object(signature)
    }

    /// Extracts `model.json` and `weights.safetensors` of a package into `directory` (a `.kouzi` model directory).
    static func unpack(zipPath: String, into directory: URL) throws {
        let archive: ZipArchive
        do { archive = try ZipArchive(source: ByteSource(path: zipPath, name: "the package")) } catch {
            throw PlatformError(.unprocessable, code: "invalid_model_package", "the model package is not a valid ZIP: \(error)")
        }
        func entry(_ name: String) throws -> ZipEntry {
            let matches = archive.files.filter {
                let parts = $0.path.split(separator: "/")
                return parts.last.map(String.init) == name && parts.count <= 2
            }
            guard matches.count == 1 else {
                throw PlatformError(.unprocessable, code: "invalid_model_package",
                                    matches.isEmpty ? "the model package has no \(name)" : "the model package has several \(name) files")
            }
            return matches[0]
        }
        let recommender = archive.files.contains { $0.path.split(separator: "/").last.map(String.init) == FactorRecommender.manifestName }
        let names = recommender ? recommenderFiles : networkFiles
        let entries = try names.map(entry)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (name, found) in zip(names, entries) {
                try archive.extract(found, toFile: directory.appendingPathComponent(name).path)
            }
        } catch {
            throw PlatformError(.unprocessable, code: "invalid_model_package", "cannot extract the model package: \(error)")
        }
    }

    /// Writes a model directory as a package (a ZIP of its two files).
    public static func pack(directory: String, to zipPath: String) throws {
        let writer = try ZipWriter(path: zipPath)
        for name in FactorRecommender.isSaved(in: directory) ? recommenderFiles : networkFiles {
            let source = directory + "/" + name
            guard FileManager.default.fileExists(atPath: source) else {
                throw PlatformError(.unprocessable, code: "invalid_model_package", "\(directory) has no \(name)")
            }
            try writer.addFile(named: name, contentsOf: source)
        }
        try writer.finish()
    }
}
