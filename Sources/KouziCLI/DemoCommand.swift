import ArgumentParser
import Foundation
import KouziData
import KouziNN
import KouziTasks
import KouziTraining

/// `kouzi demo`: the whole flow on a local server; with `--local`, the reference MLP trained in this process.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole flow on a local server: data, training jobs, registry, an A/B deployment, traffic, monitoring.",
        discussion: """
        Starts `kouzi serve` in this process (embedded SQLite in a fresh --state directory), uploads Fashion-MNIST \
        (--data, else Debian's dataset-fashion-mnist package in /usr/share/datasets/fashion-mnist, else \
        ../shared/datasets/fashion-mnist), trains two MLP versions as jobs (each scored on the test images and \
        registered), deploys them under a 50/50 split by user, sends test images as Open Inference Protocol requests, \
        posts their true labels and prints each variant's live accuracy, sends washed-out images and shows the drift \
        alert — then prints the addresses and keeps serving until Ctrl-C (--exit stops instead).

        With --local it trains the 784-128-64-10 MLP (Dense(128, relu) → Dense(64, relu) → Dense(10, softmax), Adam \
        with the learning rate 0.001 cosine-decayed, batches of 64; examples/specs/mlp-mnist.json) in this process on \
        --data, MNIST from the shared datasets folder, or Debian's Fashion-MNIST, and prints its test accuracy.
        """)

    /// The spec of the demo's model (the same as examples/specs/mlp-mnist.json).
    static let specJSON = """
    {
      "name": "mlp-mnist",
      "input_shape": [784],
      "layers": [
        {"type": "Dense", "units": 128, "activation": "relu"},
        {"type": "Dense", "units": 64, "activation": "relu"},
        {"type": "Dense", "units": 10, "activation": "softmax"}
      ],
      "optimizer": {"name": "adam", "learning_rate": 0.001},
      "loss": "sparse_categorical_crossentropy",
      "metrics": ["accuracy"]
    }
    """

    /// Where Debian's `dataset-fashion-mnist` package installs its files.
    static let debianFashionMNIST = "/usr/share/datasets/fashion-mnist"

    @Option(help: ArgumentHelp("A directory of MNIST-style IDX files to use instead of the defaults.", valueName: "dir"))
    var data: String?

    @Flag(help: "Train the reference MLP in this process instead of running the platform flow.")
    var local = false

    @Option(help: ArgumentHelp("The server's data directory (must not hold a platform yet; default: a new one under kouzi-data/).",
                               valueName: "dir"))
    var state: String?

    @Option(help: "Port of the demo's server (0 picks a free one).")
    var port = 8080

    @Option(help: "Test images sent as inference requests.")
    var requests = 2000

    @Flag(help: "Stop the server at the end instead of leaving it running.")
    var exit = false

    @Option(help: "Number of passes over the training data.")
    var epochs: Int = 10

    @Option(help: "Examples per gradient step.")
    var batchSize: Int = 64

    @Option(help: "Seed of the weight initialisation and the shuffling.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Where to save the trained model.", valueName: "path"))
    var output: String = "kouzi-data/demo-mlp.kouzi"

    @Flag(help: "Print only the result, not the summary and progress.")
    var quiet = false

    @Flag(help: "Print a machine-readable JSON result.")
    var json = false

    mutating func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0…65535") }
        guard requests >= 1 else { throw ValidationError("--requests must be at least 1") }
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
    }

    /// Whether `directory` holds the training images of an MNIST-style dataset.
    static func holdsMNIST(_ directory: String) -> Bool {
        ["train-images-idx3-ubyte.gz", "train-images-idx3-ubyte"].contains {
            FileManager.default.fileExists(atPath: directory + "/" + $0)
        }
    }

    /// The data directory: `--data`, then the shared MNIST, then Debian's Fashion-MNIST.
    func locateData() throws -> String {
        if let data {
            guard FileManager.default.isDirectory(data) else { throw CLIError.missingPath(kind: "data directory", path: data) }
            return data
        }
        var searched: [String] = []
        if let shared = DatasetLocator.directory(named: "mnist") {
            if Self.holdsMNIST(shared) { return shared }
            searched.append(shared)
        } else {
            searched.append("../shared/datasets/mnist")
        }
        if Self.holdsMNIST(Self.debianFashionMNIST) { return Self.debianFashionMNIST }
        searched.append(Self.debianFashionMNIST)
        throw CLIError.noDemoData(searched: searched)
    }

    /// The Fashion-MNIST directory of the platform flow: `--data`, Debian's package, the shared datasets.
    func locateFashion() throws -> String {
        if let data {
            guard FileManager.default.isDirectory(data) else { throw CLIError.missingPath(kind: "data directory", path: data) }
            return data
        }
        let candidates = [Self.debianFashionMNIST] + (DatasetLocator.directory(named: "fashion-mnist").map { [$0] } ?? [])
        guard let found = candidates.first(where: Self.holdsMNIST) else { throw CLIError.noDemoData(searched: candidates) }
        return found
    }

    func run() throws {
        guard local else {
            let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
            let directory = state ?? "kouzi-data/demo-\(stamp)"
            try PlatformDemo(images: try locateFashion(), state: URL(fileURLWithPath: directory, isDirectory: true), port: port,
                             requests: requests, keepRunning: !exit).run()
            return
        }
        let console = Console.current
        let talk = !quiet && !json
        let directory = try locateData()
        let dataset = directory.lowercased().contains("fashion") ? "Fashion-MNIST" : "MNIST"
        let spec = try ModelSpec(data: Data(Self.specJSON.utf8))
        let train = try RawData.mnist(directory: directory, split: .train)
        let test = try RawData.mnist(directory: directory, split: .test)
        if talk { console.print("Data: \(dataset) from \(directory) (\(train.count) training and \(test.count) test images)") }
        WeightSeed.seed(seed)
        let (set, model) = try TrainingSet.prepare(train, spec: spec, target: nil, validationSplit: 0, seed: seed, scaleTarget: false)
        model.metadata[Preprocessing.metadataKey] = try set.preprocessing.encoded()
        model.metadata["kouzi.spec"] = "mlp-mnist"
        if talk {
            console.print(try model.summary())
            console.print("Training for \(epochs) epoch\(epochs == 1 ? "" : "s"), batch size \(batchSize), Adam (learning rate 0.001, cosine decay)")
        }
        let start = Date()
        let schedule = LearningRateScheduler(.cosine(period: epochs, minimum: 1e-5))
        let history = try model.fit(x: set.train.x, y: set.trainingTargets(set.train), epochs: epochs, batchSize: batchSize,
                                    callbacks: [schedule], verbose: talk ? .auto : .silent, seed: seed)
        let seconds = Date().timeIntervalSince(start)
        guard case let .images(testSet) = test else { throw CLIError.failed("expected images") }
        let xTest = try set.preprocessing.features(ofImages: testSet.x, sampleShape: testSet.sampleShape,
                                                   source: testSet.source, inputShape: model.inputShape)
        let yTest = try set.preprocessing.target.encode(ids: testSet.labels)
        let metrics = try Evaluation.run(model: model, x: xTest, y: yTest, target: set.preprocessing.target)
        try ModelOutput.save(model, to: output)
        let steps = Double(history.epochs.count * ((set.train.count + batchSize - 1) / batchSize))
        if json {
            console.printJSON(.object([
                "dataset": .string(dataset), "data": .string(directory), "model": .string(output),
                "history": .array(history.epochs.map { .logs($0) }),
                "test_metrics": .logs(metrics), "test_accuracy": .finite(metrics["accuracy"] ?? .nan),
                "train_seconds": .finite(seconds), "milliseconds_per_step": .finite(seconds * 1000 / max(steps, 1)),
            ]))
            return
        }
        console.print(String(format: "Training took %.1f s (%.2f ms per step)", seconds, seconds * 1000 / max(steps, 1)))
        let accuracy = Evaluation.format(metrics["accuracy"] ?? .nan), loss = Evaluation.format(metrics["loss"] ?? .nan)
        console.print("Test accuracy: \(accuracy) (loss \(loss), "
            + "\(testSet.labels.count) \(dataset) test images)")
        console.print("Saved the model to \(output)")
    }
}
