import Foundation
import KouziNN
import KouziTensor
import KouziTestSupport
import Testing

/// A residual block on 2-D features: x + Dense(Dense(x)), then a classifier head.
func residualClassifier() throws -> Model {
    let input = Input(shape: [2], name: "point")
    let stem = try Dense(8, activation: .relu, seed: 41)(input)
    let inner = try Dense(8, seed: 43)(try Dense(8, activation: .relu, seed: 42)(stem))
    let joined = try ActivationLayer(.relu)(try Add()([stem, inner]))
    return try Model(inputs: input, outputs: try Dense(3, activation: .softmax, seed: 44)(joined), name: "residual")
}

/// Two inputs through one shared encoder, their absolute difference, a similarity score: a siamese model.
func siameseModel() throws -> Model {
    let left = Input(shape: [4], name: "left"), right = Input(shape: [4], name: "right")
    let encoder = Sequential(inputShape: [4]) {
        Dense(8, activation: .tanh, seed: 51)
        Dense(4, seed: 52)
    }
    let a = try encoder(left), b = try encoder(right)
    let difference = try Subtract()([a, b])
    let features = try Concatenate()([try Multiply()([difference, difference]), try Multiply()([a, b])])
    return try Model(inputs: [left, right], outputs: ["same": try Dense(1, activation: .sigmoid, seed: 53)(features)])
}

/// Pairs of points: the same blob (1) or not (0).
func pairs(_ n: Int, seed: UInt64) -> (left: Tensor, right: Tensor, same: Tensor) {
    var g = SeededGenerator(seed: seed)
    let centres: [[Float]] = [[2, 0, 0, 1], [-2, 0, 1, 0], [0, 2, -1, 0], [0, -2, 0, -1]]
    var l: [Float] = [], r: [Float] = [], y: [Float] = []
    for i in 0..<n {
        let a = Int(g.next() % 4), b = i % 2 == 0 ? a : (a + 1 + Int(g.next() % 3)) % 4
        l += centres[a].map { $0 + 0.4 * g.nextNormal() }
        r += centres[b].map { $0 + 0.4 * g.nextNormal() }
        y.append(a == b ? 1 : 0)
    }
    return (Tensor(shape: [n, 4], scalars: l), Tensor(shape: [n, 4], scalars: r), Tensor(shape: [n, 1], scalars: y))
}

/// A subclass that takes two inputs: a learned mix of two feature sets.
final class TwoTowers: Model, @unchecked Sendable {
    let first = Dense(8, activation: .relu, seed: 91), second = Dense(8, activation: .relu, seed: 92)
    let head = Dense(3, activation: .softmax, seed: 93)
    override func callAsFunction(_ inputs: [Tensor]) throws -> [Tensor] {
        [try head(try first(inputs[0]) + second(inputs[1]))]
    }
}

@Suite("Functional models")
struct FunctionalModelTests {
    @Test func aSubclassTakesSeveralInputs() throws {
        let (x, y) = blobs(150, seed: 9)
        let model = TwoTowers()
        try model.compile(optimizer: Adam(learningRate: 0.02), loss: .sparseCategoricalCrossentropy(), metrics: ["accuracy"])
        let noise = Tensor.randomNormal([150, 3], seed: 4)
        let history = try model.fit(x: [x, noise], y: [y], epochs: 30, batchSize: 30, verbose: .silent, seed: 1)
        #expect(history["accuracy"].last! > 0.9)
        #expect(try model.predict([x, noise])[0].shape == [150, 3])
        #expect(model.namedParameters.map(\.name).contains("second.kernel"))
    }

    @Test func residualGraphComputesWhatItsLayersDo() throws {
        let input = Input(shape: [3])
        let dense = Dense(3, seed: 1)
        let output = try Add()([input, try dense(input)])
        let model = try Model(inputs: input, outputs: output)
        let x = rand([5, 3], 9)
        let expected = try x + dense(x)
        #expect(try model(x).scalars == expected.scalars)
        #expect(model.inputSignature.map(\.shape) == [[-1, 3]])
        #expect(try model.outputSignature.map(\.name) == ["output"])
        #expect(model.namedParameters.map(\.name) == ["dense.kernel", "dense.bias"])
    }

    @Test func residualClassifierTrainsThroughFit() throws {
        let model = try residualClassifier()
        let (x, y) = blobs(150, seed: 3)
        try model.compile(optimizer: Adam(learningRate: 0.02), loss: .sparseCategoricalCrossentropy(), metrics: ["accuracy"])
        let history = try model.fit(x: x, y: y, epochs: 30, batchSize: 30, verbose: .silent, seed: 2)
        #expect(history["loss"].last! < history["loss"].first! * 0.5)
        #expect(try model.evaluate(x: x, y: y)["accuracy"]! > 0.9)
    }

    @Test func sharedLayerKeepsOneSetOfWeightsAndLearnsFromBothCalls() throws {
        let model = try siameseModel()
        #expect(model.namedParameters.map(\.name).filter { $0.hasPrefix("sequential.") }.count == 4, "one encoder, four tensors")
        let data = pairs(400, seed: 5)
        try model.compile(optimizer: Adam(learningRate: 0.02), loss: .binaryCrossentropy(), metrics: ["binary_accuracy"])
        let history = try model.fit(x: [data.left, data.right], y: [data.same], epochs: 25, batchSize: 40, verbose: .silent, seed: 1)
        #expect(history["binary_accuracy"].last! > 0.9, "\(history["binary_accuracy"])")
        let summary = try model.summary()
        #expect(summary.contains("Connected to") && summary.contains("sequential_call2") && summary.contains("0 (shared)"))
    }

    @Test func twoInputModelSavesLoadsAndPredictsTheSame() throws {
        let model = try siameseModel()
        let data = pairs(120, seed: 8)
        try model.compile(optimizer: Adam(learningRate: 0.02), loss: .binaryCrossentropy(), metrics: ["binary_accuracy"])
        try model.fit(x: [data.left, data.right], y: [data.same], epochs: 3, batchSize: 40, verbose: .silent)
        let path = temporaryPath("siamese.kouzi")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path)
        let restored = try Model.load(from: path)
        #expect(restored.isFunctional && restored.outputNames == ["same"])
        #expect(restored.inputSignature.map(\.name) == ["left", "right"])
        let before = try model.predict([data.left, data.right])[0], after = try restored.predict([data.left, data.right])[0]
        expectClose(before.scalars, after.scalars, tol: 1e-6)
        #expect(restored.loss?.name == "binary_crossentropy" && restored.metrics.map(\.name) == ["binary_accuracy"])
        let manifest = try String(contentsOfFile: path + "/model.json", encoding: .utf8)
        #expect(manifest.contains("\"Functional\"") && manifest.contains("\"shares\"") && manifest.contains("\"format_version\" : 2"))
        #expect(throws: NNError.self) { try Sequential.load(from: path) }
    }

    @Test func severalOutputsTrainWithALossAndMetricsEach() throws {
        let input = Input(shape: [2], name: "point")
        let hidden = try Dense(16, activation: .relu, seed: 61)(input)
        let model = try Model(inputs: [input], outputs: [
            "blob": try Dense(3, activation: .softmax, seed: 62)(hidden),
            "radius": try Dense(1, seed: 63)(hidden),
        ])
        let (x, y) = blobs(150, seed: 4)
        let radius = (x * x).sum(axes: [1], keepDims: true).sqrt()
        try model.compile(optimizer: Adam(learningRate: 0.02),
                          losses: ["blob": .sparseCategoricalCrossentropy(), "radius": .meanSquaredError],
                          lossWeights: ["radius": 0.5], metrics: ["blob": ["accuracy"], "radius": ["mae"]])
        let history = try model.fit(x: [x], y: [y, radius], epochs: 40, batchSize: 30, verbose: .silent, seed: 3)
        #expect(Set(history.keys) == ["loss", "blob_loss", "radius_loss", "blob_accuracy", "radius_mae", "lr"])
        let logs = try model.evaluate(x: [x], y: [y, radius])
        #expect(logs["blob_accuracy"]! > 0.9 && logs["radius_mae"]! < 0.5, "\(logs)")
        #expect(abs(logs["loss"]! - (logs["blob_loss"]! + 0.5 * logs["radius_loss"]!)) < 1e-3)
        let path = temporaryPath("two-heads.kouzi")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path)
        let restored = try Model.load(from: path)
        #expect(restored.objectives.map(\.weight) == [1, 0.5])
        expectClose(try restored.evaluate(x: [x], y: [y, radius])["loss"].map { [$0] } ?? [], [logs["loss"]!], tol: 1e-5)
    }

    @Test func modelsNestAsLayersAndMasksFlowAlongTheGraph() throws {
        let ids = Input(shape: [-1], dtype: .int64, name: "ids")
        let embedded = try Embedding(inputDim: 20, outputDim: 4, maskZero: true, seed: 71)(ids)
        let pooled = try GlobalAveragePool1D()(try LSTM(5, returnSequences: true, seed: 72)(embedded))
        let model = try Model(inputs: ids, outputs: try Dense(2, activation: .softmax, seed: 73)(pooled))
        let padded = Tensor(shape: [2, 5], values: [Int64(3), 4, 5, 0, 0, 3, 4, 5, 6, 7])
        let trimmed = Tensor(shape: [1, 3], values: [Int64(3), 4, 5])
        // Padding is masked: the padded sentence scores as its three real tokens alone.
        expectClose(try model(padded).slice(axis: 0, 0..<1).scalars, try model(trimmed).scalars, tol: 1e-5)
        let outer = Input(shape: [-1], dtype: .int64, name: "tokens")
        let wrapper = try Model(inputs: outer, outputs: try model(outer))
        expectClose(try wrapper(padded).scalars, try model(padded).scalars, tol: 0)
    }

    @Test func mergingLayersHaveGradients() {
        let a = rand([3, 4], 1), b = rand([3, 4], 2), c = rand([3, 1], 3)
        for layer in [Add(), Subtract(), Multiply(), Average(), Maximum(), Minimum()] as [any MergingLayer] {
            checkGradients([a, b]) { try! layer($0) }
        }
        checkGradients([a, b, c]) { try! Concatenate(axis: -1)($0) }
        checkGradients([a, c]) { try! Add()($0) }
    }
}
