import Foundation
import KouziNN
import KouziTensor

/// A model that predicts in-process, with no server: an edge bundle (a folder with `manifest.json` and the
/// `.kouzi` model under `model/`) or a bare `.kouzi` directory. It answers Open Inference Protocol requests
/// exactly as a deployment of the same version does (same conversion, same outputs), and CSV rows as
/// `kouzi predict` does.
///
/// ```swift
/// let model = try EdgeModel(path: "iris-bundle", codecs: TaskCatalogue.standard.codecs)
/// let response = try model.infer(InferRequest(inputs: [
///     InferTensor(name: "sepal_length", shape: [1], datatype: "FP32", data: .array([.number(5.1)])), …]))
/// ```
public final class EdgeModel: @unchecked Sendable {
    /// The name answers carry as `model_name`: the deployment of a bundle, else the model directory's name.
    public let name: String
    /// The version answers carry as `model_version` (from a bundle's manifest; nil for a bare model).
    public let version: String?
    /// The bundle's manifest, when the model came from a bundle.
    public let manifest: EdgeManifest?
    /// The model and its codec.
    public let loaded: LoadedModel

    /// Loads the bundle or `.kouzi` model directory at `path` (a bundle's `model/` folder also finds its manifest);
    /// `codecs` are the tasks' codecs this program knows.
    public init(path: String, codecs: CodecRegistry) throws {
        let fm = FileManager.default
        let folder = URL(fileURLWithPath: path).standardizedFileURL
        var modelPath = folder.path
        if fm.fileExists(atPath: folder.appendingPathComponent(EdgeManifest.fileName).path) {
            manifest = try EdgeManifest.read(from: folder.appendingPathComponent(EdgeManifest.fileName).path)
            modelPath = folder.appendingPathComponent(EdgeManifest.modelFolder).path
        } else if folder.lastPathComponent == EdgeManifest.modelFolder,
                  fm.fileExists(atPath: folder.deletingLastPathComponent().appendingPathComponent(EdgeManifest.fileName).path) {
            manifest = try EdgeManifest.read(from: folder.deletingLastPathComponent().appendingPathComponent(EdgeManifest.fileName).path)
        } else {
            manifest = nil
        }
        loaded = try LoadedModel(path: modelPath, codecs: codecs)
        name = manifest?.deployment ?? URL(fileURLWithPath: modelPath).deletingPathExtension().lastPathComponent
        version = manifest.map { String($0.version) }
    }

    /// The model's inputs and outputs, as `GET /v2/models/{name}` gives them.
    public var metadata: InferModelMetadata {
        InferModelMetadata(name: name, versions: version.map { [$0] } ?? [], inputs: loaded.codec.inputs,
                           outputs: loaded.codec.outputs)
    }

    /// Answers an Open Inference Protocol request: all outputs, or those the request names.
    public func infer(_ request: InferRequest) throws -> InferResponse {
        InferResponse(modelName: name, modelVersion: version, id: request.id, parameters: nil,
                      outputs: try loaded.answer(request.inputs, wanted: request.outputs))
    }

    /// Answers a request given as JSON text; the answer is JSON too.
    public func infer(json: Data, source: String = "the request") throws -> Data {
        let request: InferRequest
        do { request = try InferRequest.parse(json) } catch {
            throw InferenceError.unreadable(source: source, reason: error.message)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(try infer(request))
    }

    /// Predicts CSV rows with a header and answers CSV as `kouzi predict` writes it (models whose codec reads rows).
    public func predictCSV(_ bytes: [UInt8], source: String = "the input", delimiter: Character = ",") throws -> String {
        try loaded.codec.predictCSV(bytes, source: source, delimiter: delimiter, forward: loaded.forward)
    }
}
