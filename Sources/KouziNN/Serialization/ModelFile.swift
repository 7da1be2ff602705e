import Foundation
import KouziTensor

/// The model directory format: `NAME.kouzi/model.json` + `NAME.kouzi/weights.safetensors`.
///
/// `model.json` holds the format version, the architecture (layer specs), the compile settings,
/// the input/output signature and the class labels; the weights are safetensors, readable by
/// Python's `safetensors` package. Saving writes a temporary directory and renames it into place,
/// so a crash never leaves a half-written model.
public enum ModelFile {
    /// Current format version written to `model.json`.
    public static let formatVersion = 1
    /// Name of the architecture file inside the directory.
    public static let manifestName = "model.json"
    /// Name of the weights file inside the directory.
    public static let weightsName = "weights.safetensors"

    /// One input or output of the model's signature.
    public struct TensorSpec: Codable, Sendable, Equatable {
        public var name: String
        public var dtype: String
        /// Dimensions with -1 for the batch (or any free) dimension.
        public var shape: [Int]
    }

    /// The parsed contents of `model.json`.
    public struct Manifest: Codable, Sendable {
        public var format: String
        public var formatVersion: Int
        public var architecture: [String: JSONValue]
        public var compile: [String: JSONValue]?
        public var inputs: [TensorSpec]
        public var outputs: [TensorSpec]
        public var classLabels: [String]?
        public var metadata: [String: String]
        public var weights: [String]

        enum CodingKeys: String, CodingKey {
            case format, formatVersion = "format_version", architecture, compile, inputs, outputs
            case classLabels = "class_labels", metadata, weights
        }
    }
}

extension Model {
    /// Writes the model to the directory `path` (conventionally `NAME.kouzi`), atomically.
    public func save(to path: String) throws {
        guard let inputShape else {
            throw NNError.invalidArgument("cannot save a model whose input shape is unknown: build it or fit it first")
        }
        try ensureBuilt(sampleShape: inputShape)
        let manifest = try makeManifest(inputShape: inputShape)
        let named = namedParameters.filter { $0.parameter.value.count > 0 }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json = try encoder.encode(manifest)
        let weights = SafeTensors.encode(named.map { ($0.name, $0.parameter.value) },
                                         metadata: ["format": "kouzi", "format_version": String(ModelFile.formatVersion)])
        try ModelFile.writeDirectory(path, files: [ModelFile.manifestName: json, ModelFile.weightsName: Data(weights)])
    }

    func makeManifest(inputShape: [Int]) throws -> ModelFile.Manifest {
        var arch: [String: JSONValue] = ["class": .string(name), "input_shape": .array(inputShape.map { .number(Double($0)) })]
        if let seq = self as? Sequential {
            arch["class"] = .string("Sequential")
            arch["layers"] = .array(try seq.layers.map { .object(try LayerRegistry.spec(of: $0)) })
        } else {
            throw NNError.invalidArgument("only Sequential models can be saved as architecture + weights; \(name) is a custom Model")
        }
        var compile: [String: JSONValue]? = nil
        if let optimizer, let loss {
            compile = [
                "optimizer": .object(["name": .string(optimizer.name), "options": .object(optimizer.options.mapValues { .number($0) })]),
                "loss": .object(["name": .string(loss.name), "options": .object(loss.options.mapValues { .number($0) })]),
                "metrics": .array(metrics.map { .string($0.name) }),
            ]
        }
        let outShape = try outputShape(for: [-1] + inputShape)
        return ModelFile.Manifest(
            format: "kouzi-model", formatVersion: ModelFile.formatVersion, architecture: arch, compile: compile,
            inputs: [.init(name: "input", dtype: "float32", shape: [-1] + inputShape)],
            outputs: [.init(name: "output", dtype: "float32", shape: outShape)],
            classLabels: classLabels, metadata: metadata,
            weights: namedParameters.filter { $0.parameter.value.count > 0 }.map(\.name))
    }

    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        if let seq = self as? Sequential {
            var s = inputShape
            for l in seq.layers { s = try l.outputShape(for: s) }
            return s
        }
        let out = try withoutGrad { try self(Tensor.zeros(inputShape.map { $0 < 0 ? 1 : $0 })) }
        return [-1] + out.shape.dropFirst()
    }
}

extension Sequential {
    /// Loads a model saved with ``Model/save(to:)``: architecture, weights, compile settings, labels.
    ///
    /// - Throws: ``NNError/invalidModelFile(path:reason:)`` naming what is missing, corrupt or inconsistent.
    public static func load(from path: String) throws -> Sequential {
        func fail(_ reason: String) -> NNError { .invalidModelFile(path: path, reason: reason) }
        let dir = URL(fileURLWithPath: path)
        guard let json = FileManager.default.contents(atPath: dir.appendingPathComponent(ModelFile.manifestName).path) else {
            throw fail("\(ModelFile.manifestName) is missing or unreadable")
        }
        let manifest: ModelFile.Manifest
        do { manifest = try JSONDecoder().decode(ModelFile.Manifest.self, from: json) } catch {
            throw fail("\(ModelFile.manifestName) is not a valid model manifest (\(error))")
        }
        guard manifest.format == "kouzi-model" else { throw fail("unknown format '\(manifest.format)'") }
        guard manifest.formatVersion <= ModelFile.formatVersion else {
            throw fail("format version \(manifest.formatVersion) is newer than this build reads (\(ModelFile.formatVersion))")
        }
        guard manifest.architecture["class"]?.stringValue == "Sequential",
              let layerSpecs = manifest.architecture["layers"]?.arrayValue,
              let inputShape = manifest.architecture["input_shape"]?.arrayValue?.compactMap(\.intValue) else {
            throw fail("the architecture is not a Sequential with layers and input_shape")
        }
        let layers: [any Layer] = try layerSpecs.map { spec in
            guard let obj = spec.objectValue else { throw fail("a layer spec is not an object: \(spec)") }
            return try LayerRegistry.makeLayer(obj)
        }
        let model = Sequential(inputShape: nil, layers)
        try model.ensureBuilt(sampleShape: inputShape)
        guard let bytes = FileManager.default.contents(atPath: dir.appendingPathComponent(ModelFile.weightsName).path) else {
            throw fail("\(ModelFile.weightsName) is missing or unreadable")
        }
        let tensors: [String: Tensor]
        do { tensors = try SafeTensors.decode([UInt8](bytes)).tensors } catch {
            throw fail("\(ModelFile.weightsName): \(error)")
        }
        for (name, p) in model.namedParameters where p.value.count > 0 {
            guard let t = tensors[name] else { throw fail("weight '\(name)' is missing from \(ModelFile.weightsName)") }
            guard t.shape == p.value.shape, t.dtype == p.value.dtype else {
                throw fail("weight '\(name)' has shape \(t.shape) \(t.dtype), the architecture needs \(p.value.shape) \(p.value.dtype)")
            }
            p.assign(t)
        }
        model.classLabels = manifest.classLabels
        model.metadata = manifest.metadata
        if let compile = manifest.compile {
            do {
                let opt = compile["optimizer"]?.objectValue, lossSpec = compile["loss"]?.objectValue
                if let optName = opt?["name"]?.stringValue, let lossName = lossSpec?["name"]?.stringValue {
                    let optimizer = try Optimizer.named(optName, options: (opt?["options"]?.objectValue ?? [:]).compactMapValues(\.doubleValue))
                    let loss = try Loss(named: lossName, options: (lossSpec?["options"]?.objectValue ?? [:]).compactMapValues(\.doubleValue))
                    let metrics = try (compile["metrics"]?.arrayValue ?? []).compactMap(\.stringValue).map(Metrics.named)
                    model.compile(optimizer: optimizer, loss: loss, metrics: metrics)
                }
            } catch { throw fail("compile settings: \(error)") }
        }
        return model
    }
}

extension ModelFile {
    /// Writes `files` into a fresh temporary directory next to `path`, then swaps it into place.
    static func writeDirectory(_ path: String, files: [String: Data]) throws {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: path).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let tmp = parent.appendingPathComponent(".\(target.lastPathComponent).tmp-\(UUID().uuidString)")
        try fm.createDirectory(at: tmp, withIntermediateDirectories: false)
        do {
            for (name, data) in files {
                let url = tmp.appendingPathComponent(name)
                guard fm.createFile(atPath: url.path, contents: nil), let h = FileHandle(forWritingAtPath: url.path) else {
                    throw NNError.invalidArgument("cannot write \(url.path)")
                }
                try h.write(contentsOf: data)
                try h.synchronize()
                try h.close()
            }
            if fm.fileExists(atPath: target.path) {
                let old = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(UUID().uuidString)")
                try fm.moveItem(at: target, to: old)
                try fm.moveItem(at: tmp, to: target)
                try? fm.removeItem(at: old)
            } else {
                try fm.moveItem(at: tmp, to: target)
            }
        } catch {
            try? fm.removeItem(at: tmp)
            throw error
        }
    }
}
