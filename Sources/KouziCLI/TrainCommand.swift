import ArgumentParser
import Foundation
import KouziBase
import KouziData
import KouziNN
import KouziTasks
import KouziTraining

/// `kouzi train`: fits a model described by a JSON spec and saves it with its preprocessing.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model described by a JSON spec and save it as a .kouzi model.",
        discussion: """
        The spec names the layers, optimizer, loss and metrics (see examples/specs). For CSV data, numeric \
        columns are used as they are and text columns are one-hot encoded; missing values are filled with \
        the column mean (or most frequent value); features are standardised. A classification loss turns \
        the target into classes (their names are saved with the model); a regression target is \
        standardised for training (the per-epoch history is in those units) and predictions are mapped \
        back. All of this is saved with the model, so evaluate and predict apply the same steps.

        Examples:
          kouzi train --spec examples/specs/logistic-iris.json \\
              --data iris.csv --target species --validation-split 0.2
          kouzi train --spec examples/specs/mlp-mnist.json \\
              --data ../shared/datasets/mnist --epochs 5 --batch-size 64
        """)

    @Option(help: ArgumentHelp("The model spec (JSON): layers, optimizer, loss, metrics.", valueName: "file"))
    var spec: String

    @OptionGroup var data: DataOptions

    @Option(help: "Number of passes over the training data.")
    var epochs: Int = 10

    @Option(help: "Examples per gradient step.")
    var batchSize: Int = 32

    @Option(help: ArgumentHelp("Fraction of the examples held out to validate after every epoch (0 ≤ f < 1).", valueName: "fraction"))
    var validationSplit: Double = 0

    @Option(help: "Seed of the weight initialisation, the validation split and the shuffling.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Where to save the model (default: the spec's name + .kouzi).", valueName: "path"))
    var output: String?

    @Flag(inversion: .prefixedNo, help: "Standardise a regression target while training.")
    var scaleTarget = true

    @Flag(help: "Print only the result, not the summary and progress.")
    var quiet = false

    @Flag(help: "Print a machine-readable JSON result.")
    var json = false

    mutating func validate() throws {
        try data.requireData()
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        guard validationSplit >= 0 && validationSplit < 1 else {
            throw ValidationError("--validation-split must be in [0, 1), got \(validationSplit)")
        }
        if data.isCSV, data.target == nil, let path = data.data, FileManager.default.fileExists(atPath: path) {
            throw ValidationError("--target is required with CSV data: name the column to predict")
        }
    }

    func run() throws {
        let console = Console.current
        let modelSpec = try SpecFile.load(spec)
        let name = SpecFile.modelName(modelSpec, path: spec)
        let raw = try data.load(defaultSplit: .train)
        WeightSeed.seed(seed)
        let (set, model) = try TrainingSet.prepare(raw, spec: modelSpec, target: data.target, validationSplit: validationSplit,
                                                   seed: seed, scaleTarget: scaleTarget)
        model.metadata[Preprocessing.metadataKey] = try set.preprocessing.encoded()
        model.metadata["kouzi.spec"] = name
        let source = data.data ?? data.images ?? "data"
        let talk = !quiet && !json
        if talk {
            let held = set.validation.map { ", \($0.count) for validation" } ?? ""
            console.print("Training \(name) on \(source): \(set.train.count) examples\(held)")
            console.print(try model.summary())
        }
        let history = try model.fit(
            x: set.train.x, y: set.trainingTargets(set.train), epochs: epochs, batchSize: batchSize,
            validationData: set.validation.map { ($0.x, set.trainingTargets($0)) },
            callbacks: try modelSpec.learningRateSchedule(epochs: epochs).map { [LearningRateScheduler($0)] } ?? [],
            verbose: talk ? .auto : .silent, seed: seed)
        let trainMetrics = try Evaluation.run(model: model, x: set.train.x, y: set.train.y, target: set.preprocessing.target)
        let validationMetrics = try set.validation.map {
            try Evaluation.run(model: model, x: $0.x, y: $0.y, target: set.preprocessing.target)
        }
        let path = output ?? name + ".kouzi"
        try ModelOutput.save(model, to: path)
        if json {
            var result: [String: JSONValue] = [
                "model": .string(path), "epochs": .number(Double(history.epochs.count)),
                "history": .array(history.epochs.enumerated().map { i, logs in
                    var entry = logs.mapValues(JSONValue.finite)
                    entry["epoch"] = .number(Double(i + 1))
                    return .object(entry)
                }),
                "metrics": .logs(trainMetrics), "examples": .number(Double(set.train.count)),
            ]
            if let validationMetrics, let part = set.validation {
                result["validation_metrics"] = .logs(validationMetrics)
                result["validation_examples"] = .number(Double(part.count))
            }
            if let classes = set.preprocessing.target.classes { result["classes"] = .strings(classes) }
            console.printJSON(.object(result))
            return
        }
        console.print("Saved the model to \(path)")
        console.print("Training data (\(set.train.count) examples):")
        Evaluation.lines(trainMetrics).forEach(console.print)
        if let validationMetrics, let part = set.validation {
            console.print("Validation data (\(part.count) examples):")
            Evaluation.lines(validationMetrics).forEach(console.print)
        }
    }
}
