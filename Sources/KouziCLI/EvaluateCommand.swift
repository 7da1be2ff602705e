import ArgumentParser
import Foundation
import KouziData
import KouziNN
import KouziTraining
import KouziTensor

/// `kouzi evaluate`: the loss and metrics of a saved model on labelled data.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Compute a model's loss and metrics on labelled data.",
        discussion: """
        The data goes through the preprocessing saved with the model. For a CSV file the target column \
        defaults to the one the model was trained with; an MNIST-style directory uses its test split \
        unless --split says otherwise. Regression metrics are in the target's own units.

        Examples:
          kouzi evaluate --model logistic-iris.kouzi --data iris.csv
          kouzi evaluate --model mlp-mnist.kouzi --data ../shared/datasets/mnist --json
        """)

    @Option(help: ArgumentHelp("The .kouzi model directory.", valueName: "path"))
    var model: String

    @OptionGroup var data: DataOptions

    @Option(help: "Examples per forward pass.")
    var batchSize: Int = 256

    @Flag(help: "Print a machine-readable JSON result.")
    var json = false

    mutating func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
    }

    func run() throws {
        let loaded = try LoadedModel(path: model)
        var target = loaded.preprocessing.target
        let x: Tensor, y: Tensor, source: String
        if data.isCSV, let path = data.data {
            guard FileManager.default.fileExists(atPath: path) else { throw CLIError.missingPath(kind: "data", path: path) }
            guard let column = data.target ?? target.column else {
                throw CLIError.invalidData("name the target column with --target (the model does not record one)")
            }
            target.column = column
            var preprocessing = loaded.preprocessing
            preprocessing.target = target
            let table = try loaded.preprocessing.table?.read(file: path, reader: data.reader) ?? data.reader.read(file: path)
            x = try preprocessing.features(of: try table.dropping(data.exclude), source: path, inputShape: loaded.model.inputShape)
            y = try target.encode(try table.column(named: column))
            source = path
        } else {
            guard case let .images(set) = try data.load(defaultSplit: .test) else { throw CLIError.failed("expected images") }
            x = try loaded.preprocessing.features(ofImages: set.x, sampleShape: set.sampleShape, source: set.source,
                                                  inputShape: loaded.model.inputShape)
            y = try target.encode(ids: set.labels)
            source = set.source
        }
        let metrics = try Evaluation.run(model: loaded.model, x: x, y: y, target: target, batchSize: batchSize)
        let console = Console.current
        if json {
            console.printJSON(.object(["model": .string(model), "data": .string(source),
                                       "examples": .number(Double(x.shape[0])), "metrics": .logs(metrics)]))
        } else {
            console.print("Evaluated \(model) on \(source) (\(x.shape[0]) examples):")
            Evaluation.lines(metrics).forEach(console.print)
        }
    }
}
