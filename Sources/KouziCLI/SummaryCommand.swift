import ArgumentParser
import Foundation
import KouziBase
import KouziInference
import KouziNN
import KouziTasks
import KouziTraining

/// `kouzi summary`: the layers, shapes and parameter counts of a saved model or a spec.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Show the layers of a saved model or of a model spec.",
        discussion: """
        Examples:
          kouzi summary --model mlp-mnist.kouzi
          kouzi summary --spec examples/specs/mlp-mnist.json --json
        """)

    @Option(help: ArgumentHelp("A .kouzi model directory.", valueName: "path"))
    var model: String?

    @Option(help: ArgumentHelp("A model spec (JSON).", valueName: "file"))
    var spec: String?

    @Flag(help: "Print a machine-readable JSON description.")
    var json = false

    mutating func validate() throws {
        guard (model == nil) != (spec == nil) else {
            throw ValidationError("give exactly one of --model PATH and --spec FILE")
        }
    }

    func run() throws {
        let network: Model
        var preprocessing: Preprocessing?
        let source: String
        if let model {
            let loaded = try SupervisedModel(path: model)
            network = loaded.model
            preprocessing = loaded.hasSavedPreprocessing ? loaded.preprocessing : nil
            source = model
        } else {
            let path = spec!
            do { network = try SpecFile.load(path).makeModel() } catch let error as NNError {
                throw CLIError.failed("\(path): \(error)")
            }
            source = path
        }
        let console = Console.current
        if json {
            console.printJSON(try Self.describe(network, source: source, preprocessing: preprocessing))
            return
        }
        console.print(try network.summary())
        if let optimizer = network.optimizer, let loss = network.loss {
            console.print("Optimizer: \(optimizer.name) (\(Self.options(optimizer.options)))")
            console.print("Loss: \(loss.name)" + (loss.options.isEmpty ? "" : " (\(Self.options(loss.options)))"))
            if !network.metrics.isEmpty { console.print("Metrics: " + network.metrics.map(\.name).joined(separator: ", ")) }
        }
        if let classes = network.classLabels { console.print("Classes: " + TargetEncoding.list(classes)) }
        if let table = preprocessing?.table {
            let columns = "\(table.columns.count) column\(table.columns.count == 1 ? "" : "s")"
            console.print("Features: \(columns) → \(table.featureNames.count) inputs ("
                + TargetEncoding.list(table.columns) + ")")
        }
        if let images = preprocessing?.images { console.print("Images: \(images.sampleShape)") }
        if let column = preprocessing?.target.column { console.print("Target: \(column)") }
    }

    private static func options(_ values: [String: Double]) -> String {
        values.keys.sorted().map { "\($0) \(Predictions.number(Float(values[$0]!)))" }.joined(separator: ", ")
    }

    /// The model as JSON: layers with types, configs, output shapes and parameter counts.
    static func describe(_ model: Model, source: String, preprocessing: Preprocessing?) throws -> JSONValue {
        var shape: [Int]? = model.inputShape.map { [-1] + $0 }
        var layers: [JSONValue] = []
        for (index, layer) in ((model as? Sequential)?.layers ?? []).enumerated() {
            if let current = shape { shape = try layer.outputShape(for: current) }
            var entry: [String: JSONValue] = ["index": .number(Double(index)), "name": .string(layer.name),
                                              "params": .number(Double(layer.parameterCount)),
                                              "output_shape": shape.map { .ints($0) } ?? .null]
            if var config = try? LayerRegistry.spec(of: layer) {
                entry["type"] = config.removeValue(forKey: "type") ?? .string(layer.name)
                entry["config"] = .object(config)
            } else {
                entry["type"] = .string(layer.name)
            }
            layers.append(.object(entry))
        }
        let trainable = model.trainableParameters.reduce(0) { $0 + $1.value.count }
        var result: [String: JSONValue] = [
            "source": .string(source), "class": .string(model.name), "layers": .array(layers),
            "input_shape": model.inputShape.map { .ints([-1] + $0) } ?? .null, "output_shape": shape.map { .ints($0) } ?? .null,
            "total_params": .number(Double(model.parameterCount)), "trainable_params": .number(Double(trainable)),
            "class_labels": model.classLabels.map { .strings($0) } ?? .null,
        ]
        if !(model is Sequential) {
            // A graph or a subclass: its architecture and signature instead of a list of layers.
            result["architecture"] = try? model.architecture()
            result["inputs"] = .array(model.inputSignature.map { ["name": .string($0.name), "shape": .ints($0.shape), "dtype": .string($0.dtype)] })
            let outputs = try model.outputSignature
            result["outputs"] = .array(outputs.map { ["name": .string($0.name), "shape": .ints($0.shape), "dtype": .string($0.dtype)] })
            result["output_shape"] = outputs.count == 1 ? .ints(outputs[0].shape) : .null
        }
        if let optimizer = model.optimizer, let loss = model.loss {
            let numbers: ([String: Double]) -> JSONValue = { .object($0.mapValues { JSONValue.finite(Float($0)) }) }
            result["optimizer"] = .object(["name": .string(optimizer.name), "options": numbers(optimizer.options)])
            result["loss"] = .object(["name": .string(loss.name), "options": numbers(loss.options)])
            result["metrics"] = .strings(model.metrics.map(\.name))
        }
        if let preprocessing {
            var info: [String: JSONValue] = ["target_form": .string(preprocessing.target.form.rawValue)]
            info["target"] = preprocessing.target.column.map(JSONValue.string) ?? .null
            if let table = preprocessing.table {
                info["columns"] = .strings(table.columns)
                info["categorical_columns"] = .strings(table.categorical)
                info["features"] = .strings(table.featureNames)
            }
            if let images = preprocessing.images { info["image_shape"] = .ints(images.sampleShape) }
            result["preprocessing"] = .object(info)
        }
        return .object(result)
    }
}
