import ArgumentParser
import Foundation
import KouziData
import KouziInference
import KouziNN
import KouziTasks
import KouziTensor
import KouziTraining

/// `kouzi evaluate`: the loss and metrics of a saved model on labelled data.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Compute a model's loss and metrics on labelled data.",
        discussion: """
        The data goes through the preprocessing saved with the model. For a CSV file the target column \
        defaults to the one the model was trained with; an MNIST-style directory uses its test split \
        unless --split says otherwise. Regression metrics are in the target's own units.

        With --server, the evaluation runs on the server instead: a registered model version scored on a \
        dataset version, stored as a report next to the version's other reports.

        Examples:
          kouzi evaluate --model logistic-iris.kouzi --data iris.csv
          kouzi evaluate --model mlp-mnist.kouzi --data ../shared/datasets/mnist --json
          kouzi evaluate --server http://127.0.0.1:8080 --model-id 3 --model-version production \\
              --dataset 1 --dataset-version 2 --follow
        """)

    @Option(help: ArgumentHelp("The .kouzi model directory (local evaluation).", valueName: "path"))
    var model: String?

    @Option(help: "Evaluate on this server instead (with --model-id, --dataset, --dataset-version). Token: $KOUZI_TOKEN.")
    var server: String?

    @Option(help: "Server evaluation: the registered model id.") var modelId: Int64?
    @Option(help: "Server evaluation: the version number or alias.") var modelVersion: String = "latest"
    @Option(help: "Server evaluation: the labelled dataset id.") var dataset: Int64?
    @Option(help: "Server evaluation: its version.") var datasetVersion: Int64?
    @Option(help: "Server evaluation: the project id (default $KOUZI_PROJECT or 1).") var project: Int64?
    @Flag(help: "Server evaluation: wait for the report and print its scores.") var follow = false

    @OptionGroup var data: DataOptions

    @Option(help: "Examples per forward pass.")
    var batchSize: Int = 256

    @Flag(help: "Print a machine-readable JSON result.")
    var json = false

    mutating func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        if server != nil {
            guard modelId != nil, dataset != nil, datasetVersion != nil else {
                throw ValidationError("--server needs --model-id, --dataset and --dataset-version")
            }
        } else {
            guard model != nil else { throw ValidationError("give --model PATH (or --server with --model-id)") }
            try data.requireData()
        }
    }

    func run() throws {
        if let server, let modelId, let dataset, let datasetVersion {
            var options = ClientOptions()
            options.server = server
            options.json = json
            var project = ProjectOption()
            project.project = self.project
            try RemoteEvaluationOptions.submit(options, project, modelID: modelId, version: modelVersion, dataset: dataset,
                                               datasetVersion: datasetVersion, follow: follow)
            return
        }
        guard let model else { return }
        let loaded = try SupervisedModel(path: model)
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
