import Foundation
import KouziTensor

/// The model directory format: `NAME.kouzi/model.json` + `NAME.kouzi/weights.safetensors`.
///
/// `model.json` holds the format version, the architecture (layer specs), the compile settings,
/// the input/output signature and the class labels; the weights are safetensors, readable by
/// Python's `safetensors` package. Saving writes a temporary directory and renames it into place,
/// so a crash never leaves a half-written model.
public enum ModelFile {
    /// The newest format version this build reads and writes: 1 for `Sequential` models, 2 for functional graphs
    /// and subclassed models.
    public static let formatVersion = 2
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

        /// A tensor named `name` of `dtype` and `shape`.
        public init(name: String, dtype: String, shape: [Int]) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
        }
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
    ///
    /// Sequential and functional models save whole; a subclass saves when it conforms to ``SerializableModel``.
    /// - Throws: ``NNError/invalidArgument(_:)`` when the input shape is unknown (build or fit the model first)
    ///   or a layer or the model's class cannot be serialised.
    public func save(to path: String) throws {
        guard let sampleShape = inputShape else {
            throw NNError.invalidArgument("cannot save a model whose input shape is unknown: build it or fit it first")
        }
        if graph == nil { try ensureBuilt(sampleShape: sampleShape) }
        let manifest = try makeManifest()
        let named = namedParameters.filter { $0.parameter.value.count > 0 }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json = try encoder.encode(manifest)
        let weights = SafeTensors.encode(named.map { ($0.name, $0.parameter.value) },
                                         metadata: ["format": "kouzi", "format_version": String(manifest.formatVersion)])
        try ModelFile.writeDirectory(path, files: [ModelFile.manifestName: json, ModelFile.weightsName: Data(weights)])
    }

    func makeManifest() throws -> ModelFile.Manifest {
        let architecture = try self.architecture()
        return ModelFile.Manifest(
            format: "kouzi-model", formatVersion: self is Sequential ? 1 : ModelFile.formatVersion,
            architecture: architecture.objectValue ?? [:], compile: compileSettings(),
            inputs: inputSignature, outputs: try outputSignature,
            classLabels: classLabels, metadata: metadata,
            weights: namedParameters.filter { $0.parameter.value.count > 0 }.map(\.name))
    }

    /// The model's architecture as JSON: the layers of a `Sequential`, the graph of a functional model, or the
    /// class and settings of a ``SerializableModel``.
    public func architecture() throws -> JSONValue {
        var arch: [String: JSONValue] = [:]
        if let seq = self as? Sequential {
            arch = ["class": "Sequential", "layers": .array(try seq.layers.map { .object(try LayerRegistry.spec(of: $0)) })]
        } else if let graph {
            arch = try GraphSpec.json(of: graph)
            arch["class"] = "Functional"
            if let graphName { arch["name"] = .string(graphName) }
        } else if let custom = self as? any SerializableModel {
            arch = ["class": .string(type(of: custom).typeName), "config": .object(custom.config)]
        } else {
            throw NNError.invalidArgument("\(name) cannot be saved: a subclassed model saves when it conforms to SerializableModel "
                + "(and is registered with ModelRegistry to be loaded again)")
        }
        if let inputShape, graph == nil { arch["input_shape"] = .ints(inputShape) }
        return .object(arch)
    }

    /// Builds a model (weights freshly initialised) from an ``architecture()``.
    /// - Throws: ``NNError/invalidConfig(_:)`` naming the layer or node at fault, or the unknown model class.
    public static func fromArchitecture(_ json: JSONValue) throws -> Model {
        guard let object = json.objectValue, let className = object["class"]?.stringValue else {
            throw NNError.invalidConfig("the architecture must be an object with a \"class\", got \(json)")
        }
        let inputShape = object["input_shape"]?.arrayValue?.compactMap(\.intValue)
        let model: Model
        switch className {
        case "Sequential":
            guard let specs = object["layers"]?.arrayValue else { throw NNError.invalidConfig("a Sequential architecture needs its \"layers\"") }
            model = Sequential(inputShape: nil, try specs.enumerated().map { i, spec in
                guard let layer = spec.objectValue else { throw NNError.invalidConfig("layers[\(i)] is not an object: \(spec)") }
                do { return try LayerRegistry.makeLayer(layer) } catch let error as NNError {
                    throw NNError.invalidConfig("layers[\(i)]: \(error)")
                }
            })
        case "Functional":
            return try GraphSpec.model(inputs: object["inputs"]?.arrayValue ?? [], nodes: object["nodes"]?.arrayValue ?? [],
                                       outputs: object["outputs"], name: object["name"]?.stringValue, context: "graph")
        default:
            guard let type = ModelRegistry.type(named: className) else {
                throw NNError.invalidConfig("the model class '\(className)' is not known to this program: link its code and call "
                    + "ModelRegistry.register(\(className).self) before loading (known: \(ModelRegistry.classNames.joined(separator: ", ")))")
            }
            model = try type.init(config: ConfigReader(layer: className, fields: object["config"]?.objectValue ?? [:]))
        }
        if let inputShape, !inputShape.isEmpty { try model.ensureBuilt(sampleShape: inputShape) }
        return model
    }

    /// The output shape for an input shape with the batch as -1 (the single output of a functional model).
    public func outputShape(for inputShape: [Int]) throws -> [Int] {
        if let seq = self as? Sequential {
            var s = inputShape
            for l in seq.layers { s = try l.outputShape(for: s) }
            return s
        }
        if let graph {
            guard graph.outputs.count == 1 else {
                throw NNError.invalidArgument("\(name) has \(graph.outputs.count) outputs; read them from outputSignature")
            }
            return graph.outputs[0].tensor.shape
        }
        let out = try withoutGrad { try self(Tensor.zeros(inputShape.map { $0 < 0 ? 1 : $0 })) }
        return [-1] + out.shape.dropFirst()
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

extension Model {
    /// Reads any model saved with ``save(to:)`` (``Model/load(from:)``'s work).
    static func read(from path: String) throws -> Model {
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
        let model: Model
        do { model = try fromArchitecture(.object(manifest.architecture)) } catch let error as NNError {
            throw fail("\(error)")
        }
        if model.inputShape == nil, let first = manifest.inputs.first, first.shape.count > 1 {
            do { try model.ensureBuilt(sampleShape: Array(first.shape.dropFirst())) } catch { throw fail("\(error)") }
        }
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
            do { try model.applyCompileSettings(compile) } catch { throw fail("compile settings: \(error)") }
        }
        return model
    }
}
