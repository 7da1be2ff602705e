import Foundation
import KouziFormats
import KouziNN

/// Reads and checks an uploaded model package: a ZIP holding `model.json` and `weights.safetensors`, at its root
/// or inside one folder (`NAME.kouzi/`). The model must load, so a registered version is always servable.
enum ModelPackage {
    /// Validates the package and returns its signature.
    static func inspect(zipPath: String, scratch: URL) throws -> JSONValue {
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
        let directory = scratch.appendingPathComponent("package-\(UUID().uuidString).kouzi")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try archive.extract(manifestEntry, toFile: directory.appendingPathComponent(ModelFile.manifestName).path)
            try archive.extract(weightsEntry, toFile: directory.appendingPathComponent(ModelFile.weightsName).path)
        } catch {
            throw PlatformError(.unprocessable, code: "invalid_model_package", "cannot extract the model package: \(error)")
        }
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
}
