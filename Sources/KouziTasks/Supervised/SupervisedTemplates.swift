import KouziBase
import KouziBase
import KouziNN
import KouziTraining

/// A template of the supervised tasks: the network it builds for the data and the settings, and its loss.
public struct NetworkTemplate: Sendable {
    /// The template as the catalogue lists it (trained by ``SupervisedTraining``).
    public let template: AlgorithmTemplate
    /// The network's layers for the data's facts and the settings.
    let layers: @Sendable (DataFacts, HyperparameterValues) -> [[String: JSONValue]]
    /// The loss's name.
    let loss: String

    init(id: String, title: String, summary: String, task: TaskKind, dataKinds: [String], readsText: Bool,
         hyperparameters: [Hyperparameter], network: @escaping @Sendable (DataFacts, HyperparameterValues) -> [[String: JSONValue]],
         loss: String) {
        layers = network
        self.loss = loss
        template = AlgorithmTemplate(
            id: id, title: title, summary: summary, task: task, dataKinds: dataKinds, readsText: readsText,
            hyperparameters: hyperparameters,
            check: { template, data, target, textColumn in
                try SupervisedTraining.check(template, data, target: target, textColumn: textColumn)
            },
            train: { context in
                let raw = try SupervisedTraining.read(context)
                let facts = try SupervisedTraining.facts(of: raw, plan: context.plan, task: task)
                let spec = try Self.spec(id: id, task: task, dataKinds: dataKinds, facts: facts, values: context.plan.values,
                                         layers: network(facts, context.plan.values), loss: loss)
                return try SupervisedTraining.train(context, raw: raw, spec: spec)
            })
    }

    /// The model spec for the data and settings.
    public func spec(for facts: DataFacts, _ values: HyperparameterValues) throws -> ModelSpec {
        try Self.spec(id: template.id, task: template.task, dataKinds: template.dataKinds, facts: facts, values: values,
                      layers: layers(facts, values), loss: loss)
    }

    static func spec(id: String, task: TaskKind, dataKinds: [String], facts: DataFacts, values: HyperparameterValues,
                     layers: [[String: JSONValue]], loss: String) throws -> ModelSpec {
        if task == .classification, (facts.classCount ?? 0) < 2 {
            throw TrainingError.invalidData("a classifier needs at least two classes in the target, found \(facts.classCount ?? 0)")
        }
        var optimizerOptions = ["learning_rate": values.double("learning_rate")]
        if values.values["weight_decay"] != nil { optimizerOptions["weight_decay"] = values.double("weight_decay") }
        var inputShape: [Int]? = nil
        if let shape = facts.imageShape { inputShape = shape.count == 2 ? shape + [1] : shape }
        return ModelSpec(name: id, inputShape: dataKinds == ["images"] ? inputShape : nil, layers: layers,
                         optimizer: .init(name: values.string("optimizer"), options: optimizerOptions),
                         loss: .init(name: loss), metrics: task == .classification ? ["accuracy"] : ["mae"])
    }
}

/// The supervised tasks' templates: networks for tables, images and a table's sentences, built from the data's
/// shape and the hyper-parameters, trained by ``SupervisedTraining``.
public enum SupervisedTemplates {
    /// Every template, in the order a catalogue lists them.
    public static let networks: [NetworkTemplate] = [
        logisticRegression, linearRegression, mlpClassifier, mlpRegressor, cnnImageClassifier, lstmTextClassifier,
    ]

    /// The templates as the catalogue lists them.
    public static var all: [AlgorithmTemplate] { networks.map(\.template) }

    static func network(id: String, title: String, summary: String, task: TaskKind, dataKinds: [String], readsText: Bool = false,
                        hyperparameters: [Hyperparameter],
                        network: @escaping @Sendable (DataFacts, HyperparameterValues) -> [[String: JSONValue]],
                        loss: String) -> NetworkTemplate {
        NetworkTemplate(id: id, title: title, summary: summary, task: task, dataKinds: dataKinds, readsText: readsText,
                        hyperparameters: hyperparameters, network: network, loss: loss)
    }

    public static func training(epochs: Int, batchSize: Int, learningRate: Double, optimizer: String = "adam") -> [Hyperparameter] {
        [
            .integer("epochs", epochs, 1...1000, "Passes over the training data."),
            .integer("batch_size", batchSize, 1...65536, "Examples per gradient step."),
            .number("learning_rate", learningRate, 1e-6...10, log: true, "Step size of the optimiser."),
            .choice("optimizer", optimizer, ["adam", "adamw", "sgd", "momentum", "rmsprop"], "The gradient-descent rule."),
            .number("validation_split", 0.1, 0...0.5, "Fraction of the training data held out and scored after every epoch."),
        ]
    }

    static func layer(_ type: String, _ fields: [String: JSONValue] = [:]) -> [String: JSONValue] {
        fields.merging(["type": .string(type)]) { a, _ in a }
    }

    static func dense(_ units: Int, _ activation: String? = nil) -> [String: JSONValue] {
        var fields: [String: JSONValue] = ["units": .number(Double(units))]
        if let activation { fields["activation"] = .string(activation) }
        return layer("Dense", fields)
    }

    static func dropout(_ rate: Double) -> [[String: JSONValue]] {
        rate > 0 ? [layer("Dropout", ["rate": .number(rate)])] : []
    }

    static func hiddenLayers(_ v: HyperparameterValues) -> [[String: JSONValue]] {
        (0..<v.int("hidden_layers")).flatMap { _ in [dense(v.int("units"), v.string("activation"))] + dropout(v.double("dropout")) }
    }

    static let mlpShape: [Hyperparameter] = [
        .integer("hidden_layers", 2, 1...8, "Hidden Dense layers."),
        .integer("units", 128, 1...4096, "Units of each hidden layer."),
        .choice("activation", "relu", ["relu", "tanh", "gelu", "sigmoid"], "Activation of the hidden layers."),
        .number("dropout", 0.1, 0...0.9, "Dropout rate after each hidden layer (0: none)."),
    ]

    public static let logisticRegression = network(
        id: "logistic_regression", title: "Logistic regression",
        summary: "A linear classifier with a softmax over the classes, for tables (standardised, one-hot encoded columns) "
            + "or flattened images; L2 regularisation through weight decay.",
        task: .classification, dataKinds: ["table", "images"], readsText: false,
        hyperparameters: training(epochs: 30, batchSize: 32, learningRate: 0.01)
            + [.number("weight_decay", 0, 0...1, log: false, "L2 penalty on the weights.")],
        network: { facts, _ in [layer("Flatten"), dense(facts.classCount ?? 2, "softmax")] },
        loss: "sparse_categorical_crossentropy")

    public static let linearRegression = network(
        id: "linear_regression", title: "Linear regression",
        summary: "Least squares on standardised columns, fitted by gradient descent; predictions in the target's units.",
        task: .regression, dataKinds: ["table"], readsText: false,
        hyperparameters: training(epochs: 100, batchSize: 32, learningRate: 0.01)
            + [.number("weight_decay", 0, 0...1, "L2 penalty on the weights (ridge).")],
        network: { _, _ in [dense(1)] },
        loss: "mse")

    public static let mlpClassifier = network(
        id: "mlp_classifier", title: "Multi-layer perceptron classifier",
        summary: "Dense hidden layers with dropout and a softmax output, for tables or flattened images.",
        task: .classification, dataKinds: ["table", "images"], readsText: false,
        hyperparameters: training(epochs: 20, batchSize: 32, learningRate: 1e-3) + mlpShape,
        network: { facts, v in [layer("Flatten")] + hiddenLayers(v) + [dense(facts.classCount ?? 2, "softmax")] },
        loss: "sparse_categorical_crossentropy")

    public static let mlpRegressor = network(
        id: "mlp_regressor", title: "Multi-layer perceptron regressor",
        summary: "Dense hidden layers with dropout and one linear output, trained on the standardised target.",
        task: .regression, dataKinds: ["table"], readsText: false,
        hyperparameters: training(epochs: 50, batchSize: 32, learningRate: 1e-3) + mlpShape,
        network: { _, v in hiddenLayers(v) + [dense(1)] },
        loss: "mse")

    public static let cnnImageClassifier = network(
        id: "cnn_image_classifier", title: "Convolutional image classifier",
        summary: "Blocks of 3×3 (or 5×5) convolution + ReLU + 2×2 max pooling, filters doubling per block, then a Dense "
            + "layer with dropout and a softmax; channels-last grey-scale images (IDX).",
        task: .classification, dataKinds: ["images"], readsText: false,
        hyperparameters: training(epochs: 4, batchSize: 64, learningRate: 1e-3) + [
            .integer("conv_blocks", 2, 1...4, "Convolution + pooling blocks."),
            .integer("filters", 32, 4...256, "Filters of the first convolution (doubled in each further block)."),
            .choice("kernel_size", "3", ["3", "5"], "Side of the convolution kernels."),
            .integer("dense_units", 128, 8...4096, "Units of the Dense layer before the output."),
            .number("dropout", 0.25, 0...0.9, "Dropout rate before the output."),
        ],
        network: { facts, v in
            var layers: [[String: JSONValue]] = []
            for block in 0..<v.int("conv_blocks") {
                layers.append(layer("Conv2D", ["filters": .number(Double(v.int("filters") << block)),
                                               "kernel_size": .number(Double(v.string("kernel_size")) ?? 3),
                                               "padding": .string("same"), "activation": .string("relu")]))
                layers.append(layer("MaxPool2D", ["pool_size": .number(2)]))
            }
            return layers + [layer("Flatten"), dense(v.int("dense_units"), "relu")] + dropout(v.double("dropout"))
                + [dense(facts.classCount ?? 2, "softmax")]
        },
        loss: "sparse_categorical_crossentropy")

    public static let lstmTextClassifier = network(
        id: "lstm_text_classifier", title: "LSTM / BiLSTM text classifier",
        summary: "Sentences of one text column → tokens → an embedding (id 0 pads and is masked) → an LSTM, read in both "
            + "directions when bidirectional → softmax over the classes.",
        task: .classification, dataKinds: ["table"], readsText: true,
        hyperparameters: training(epochs: 3, batchSize: 64, learningRate: 2e-3) + [
            .integer("vocabulary_size", 16000, 100...200_000, "Most frequent tokens kept (padding and unknown included)."),
            .integer("sequence_length", 48, 2...1024, "Tokens per sentence after cutting or padding."),
            .integer("embedding_dim", 64, 2...1024, "Width of the token embedding."),
            .integer("units", 64, 2...1024, "LSTM units (per direction)."),
            .boolean("bidirectional", true, "Read the sentence in both directions."),
            .number("dropout", 0, 0...0.9, "Dropout rate before the output."),
        ],
        network: { facts, v in
            let lstm = layer("LSTM", ["units": .number(Double(v.int("units")))])
            return [layer("Embedding", ["input_dim": .number(Double(v.int("vocabulary_size"))),
                                        "output_dim": .number(Double(v.int("embedding_dim"))), "mask_zero": .bool(true)]),
                    v.bool("bidirectional") ? layer("Bidirectional", ["layer": .object(lstm), "merge_mode": .string("concat")]) : lstm]
                + dropout(v.double("dropout")) + [dense(facts.classCount ?? 2, "softmax")]
        },
        loss: "sparse_categorical_crossentropy")
}
