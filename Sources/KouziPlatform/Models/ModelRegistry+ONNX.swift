import Foundation
import KouziInference
import KouziNN
import KouziONNX
import KouziRec
import KouziTasks

extension ModelRegistry {
    /// Registers an uploaded ONNX file as the model's next version: the graph is read into a Kouzi model (so it
    /// serves, batches, splits and is monitored like any version), whose package is stored; its signature comes from
    /// the graph's inputs and outputs. The version's tags record `source_format: onnx`.
    public func registerONNX(_ principal: Principal, projectID: Int64, modelID: Int64, upload: ArtifactUpload,
                             update: ModelVersionUpdate = .init(), lineage: ModelLineage = .init()) async throws -> ModelVersion {
        let ref: ArtifactRef
        do { ref = try upload.commit() } catch { throw PlatformError.wrap(error) }
        let onnxPath = artifacts.url(of: ref.sha256).path
        let directory = artifacts.temporaryFile("onnx", suffix: ".kouzi")
        let zip = artifacts.temporaryFile("onnx-package", suffix: ".zip")
        defer {
            try? FileManager.default.removeItem(at: directory)
            try? FileManager.default.removeItem(at: zip)
        }
        let package = try await runDetached { [artifacts] () throws -> ArtifactRef in
            let model: Model
            do { model = try ONNXImporter.model(contentsOf: onnxPath) } catch let error as ONNXError {
                throw PlatformError(.unprocessable, code: "invalid_onnx_model", error.description)
            }
            // Served by the graph's own input and output names.
            model.metadata[CodecRegistry.metadataKey] = TensorCodec.name
            try model.save(to: directory.path)
            try ModelPackage.pack(directory: directory.path, to: zip.path)
            return try artifacts.put(fileAt: zip)
        }
        var tagged = update
        tagged.tags = (update.tags ?? [:]).merging(["source_format": "onnx"]) { given, _ in given }
        return try await registerPackage(principal, projectID: projectID, modelID: modelID, package: package, update: tagged,
                                         lineage: lineage)
    }

    /// A version (by number or alias) written as an ONNX file.
    ///
    /// - Throws: 404 for a version without a package; 422 `not_exportable` for a recommender or a network with a
    ///   layer that has no ONNX form.
    public func exportONNX(_ principal: Principal, projectID: Int64, modelID: Int64, reference: String) async throws -> (ModelVersion, Data) {
        let (version, _) = try await openPackage(principal, projectID: projectID, modelID: modelID, reference: reference)
        let path = artifacts.url(of: version.packageSHA256).path
        let directory = artifacts.temporaryFile("export", suffix: ".kouzi")
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = try await runDetached { () throws -> Data in
            try ModelPackage.unpack(zipPath: path, into: directory)
            guard !FactorRecommender.isSaved(in: directory.path) else {
                throw PlatformError(.unprocessable, code: "not_exportable", "version \(version.number) is a recommender, which has no ONNX form")
            }
            do {
                return try SupervisedModel(path: directory.path).onnxData(name: "model-\(modelID)-v\(version.number)")
            } catch let error as ONNXError {
                throw PlatformError(.unprocessable, code: "not_exportable", error.description)
            }
        }
        return (version, data)
    }
}
