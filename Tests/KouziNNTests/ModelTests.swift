import Foundation
import KouziNN
import KouziTensor
import KouziTestSupport
import Testing

/// Two Gaussian blobs per class in 2-D, three classes.
func blobs(_ n: Int, seed: UInt64) -> (Tensor, Tensor) {
    var g = SeededGenerator(seed: seed)
    let centres: [(Float, Float)] = [(-2, 0), (2, 0), (0, 2.5)]
    var xs: [Float] = [], ys: [Int64] = []
    for i in 0..<n {
        let c = i % 3
        xs += [centres[c].0 + 0.6 * g.nextNormal(), centres[c].1 + 0.6 * g.nextNormal()]
        ys.append(Int64(c))
    }
    return (Tensor(shape: [n, 2], scalars: xs), Tensor(shape: [n], values: ys))
}

/// A 2-16-3 classifier with fixed seeds (tests run in parallel, so they never rely on the shared generator).
func smallClassifier() -> Sequential {
    Sequential(inputShape: [2]) {
        Dense(16, activation: .relu, seed: 31)
        Dense(3, activation: .softmax, seed: 32)
    }
}

@Suite("Model API")
struct ModelTests {
    @Test func fitLearnsAndReportsHistory() throws {
        let (x, y) = blobs(600, seed: 1)
        let model = smallClassifier()
        try model.compile(optimizer: Adam(learningRate: 0.01), loss: .sparseCategoricalCrossentropy(), metrics: ["accuracy"])
        let history = try model.fit(x: x, y: y, epochs: 8, batchSize: 32, validationSplit: 0.2, verbose: .silent)
        #expect(history.epochs.count == 8)
        #expect(Set(history.keys).isSuperset(of: ["loss", "accuracy", "val_loss", "val_accuracy", "lr"]))
        #expect(history["loss"].last! < history["loss"].first!)
        #expect(history["val_accuracy"].last! > 0.95)
        let eval = try model.evaluate(x: x, y: y)
        #expect(eval["accuracy"]! > 0.95)
        let p = try model.predict(x)
        #expect(p.shape == [600, 3])
        expectClose(p.sum(axis: 1).scalars, [Float](repeating: 1, count: 600), tol: 1e-5)
    }

    @Test func fitIsReproducibleWithTheSameSeeds() throws {
        func run() throws -> [Float] {
            let (x, y) = blobs(90, seed: 2)
            let model = smallClassifier()
            model.compile(optimizer: SGD(learningRate: 0.1, momentum: 0.9), loss: .sparseCategoricalCrossentropy())
            return try model.fit(x: x, y: y, epochs: 3, batchSize: 16, verbose: .silent, seed: 5)["loss"]
        }
        #expect(try run() == run())
    }

    @Test func summaryListsShapesAndCounts() throws {
        let model = Sequential(inputShape: [784]) {
            Dense(128, activation: .relu)
            Dense(64, activation: .relu)
            Dense(10, activation: .softmax)
        }
        let s = try model.summary()
        #expect(s.contains("[-1, 128]") && s.contains("100480"))
        #expect(s.contains("[-1, 64]") && s.contains("8256"))
        #expect(s.contains("[-1, 10]") && s.contains("650"))
        #expect(s.contains("Total params: 109386"))
    }

    @Test func badInputGivesPreciseErrors() throws {
        let model = smallClassifier()
        let (x, y) = blobs(30, seed: 3)
        #expect(throws: NNError.notCompiled) { try model.fit(x: x, y: y, verbose: .silent) }
        model.compile(optimizer: Adam(), loss: .sparseCategoricalCrossentropy())
        let mismatch = #expect(throws: NNError.self) { try model.fit(x: x, y: y.slice(axis: 0, 0..<20), verbose: .silent) }
        #expect(mismatch?.description.contains("[30, 2]") == true)
        let wrongWidth = #expect(throws: NNError.self) { try model.fit(x: Tensor.zeros([30, 5]), y: y, verbose: .silent) }
        #expect(wrongWidth?.description.contains("[-1, 5]") == true)
        let before = model.parameters.map(\.value.scalars)
        let badLabels = Tensor(shape: [30], values: (0..<30).map { Int64($0 == 17 ? 7 : $0 % 3) })
        #expect(throws: NNError.labelOutOfRange(label: 7, classes: 3)) {
            try model.fit(x: x, y: badLabels, batchSize: 64, verbose: .silent)
        }
        #expect(model.parameters.map(\.value.scalars) == before, "a rejected batch must not change the weights")
        #expect(throws: NNError.self) { try Loss.meanSquaredError(Tensor.zeros([4, 2]), Tensor.zeros([3, 2])) }
        #expect(throws: NNError.self) { try LayerRegistry.makeLayer(["type": .string("Convolution9D")]) }
        let typo = #expect(throws: NNError.self) { try LayerRegistry.makeLayer(["type": .string("Dense"), "unit": .number(3)]) }
        #expect(typo?.description.contains("unknown field 'unit'") == true)
    }

    @Test func customTrainingLoopIsShort() throws {
        let (x, y) = blobs(300, seed: 4)
        let model = smallClassifier()
        let opt = Adam(learningRate: 0.02)
        let lossFn = Loss.sparseCategoricalCrossentropy()
        for _ in 0..<60 {
            model.zeroGrad()
            let loss = try lossFn(model(x), y)
            loss.backward()
            opt.step(model)
        }
        let acc = Accuracy()
        try acc.update(predictions: try model.predict(x), targets: y)
        #expect(acc.result() > 0.95)
    }
}

@Suite("Callbacks")
struct CallbackTests {
    let data = blobs(120, seed: 9)

    @Test func earlyStoppingStopsAndRestoresBestWeights() throws {
        let model = smallClassifier()
        model.compile(optimizer: SGD(learningRate: 0), loss: .sparseCategoricalCrossentropy())
        let stop = EarlyStopping(monitor: "loss", patience: 1, restoreBestWeights: true)
        let h = try model.fit(x: data.0, y: data.1, epochs: 20, batchSize: 32, shuffle: false, callbacks: [stop], verbose: .silent)
        #expect(h.epochs.count == 3)
        #expect(stop.stoppedEpoch == 2)
    }

    @Test func schedulerCheckpointAndCSVLogger() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kouzi-cb-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = smallClassifier()
        try model.compile(optimizer: Adam(learningRate: 0.1), loss: .sparseCategoricalCrossentropy(), metrics: ["accuracy"])
        let csv = dir + "/log.csv"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let h = try model.fit(x: data.0, y: data.1, epochs: 4, batchSize: 32, validationData: (data.0, data.1),
                              callbacks: [LearningRateScheduler(.step(stepSize: 2, gamma: 0.1)),
                                          ModelCheckpoint(path: dir + "/best.kouzi", monitor: "val_accuracy", saveBestOnly: true),
                                          CSVLogger(path: csv)], verbose: .silent)
        expectClose(h["lr"], [0.1, 0.1, 0.01, 0.01])
        #expect(FileManager.default.fileExists(atPath: dir + "/best.kouzi/model.json"))
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines[0] == "epoch,accuracy,loss,lr,val_accuracy,val_loss")
    }
}
