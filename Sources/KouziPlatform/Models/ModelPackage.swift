import Foundation
import KouziFormats
import KouziNN

/// Reads and checks an uploaded model package: a ZIP holding `model.json` and `weights.safetensors`, at its root
/// or inside one folder (`NAME.kouzi/`). The model must load, so a registered version is always servable.
public enum ModelPackage {
    /// Validates the package and returns its signature.
    static func inspect(zipPath: String, scratch: URL) throws -> JSONValue {
        let directory = scratch.appendingPathComponent("package-\(UUID().uuidString).kouzi")
        defer { try? FileManager.default.removeItem(at: directory) }
        try unpack(zipPath: zipPath, into: directory)
        let manifest: ModelFile.Manifest
        do {
            _ = try Sequential.load(from: directory.path)
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
        let manifestEntry = try entry(ModelFile.manifestName)
        let weightsEntry = try entry(ModelFile.weightsName)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try archive.extract(manifestEntry, toFile: directory.appendingPathComponent(ModelFile.manifestName).path)
            try archive.extract(weightsEntry, toFile: directory.appendingPathComponent(ModelFile.weightsName).path)
        } catch {
            throw PlatformError(.unprocessable, code: "invalid_model_package", "cannot extract the model package: \(error)")
        }
    }

    /// Writes a model directory as a package (a ZIP of `model.json` and `weights.safetensors`).
    public static func pack(directory: String, to zipPath: String) throws {
        let writer = try ZipWriter(path: zipPath)
        for name in [ModelFile.manifestName, ModelFile.weightsName] {
            let source = directory + "/" + name
            guard FileManager.default.fileExists(atPath: source) else {
                throw PlatformError(.unprocessable, code: "invalid_model_package", "\(directory) has no \(name)")
            }
            try writer.addFile(named: name, contentsOf: source)
        }
        try writer.finish()
    }
}
