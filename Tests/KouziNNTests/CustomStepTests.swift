import Foundation
import KouziData
import KouziNN
import KouziTensor
import KouziTestSupport
import Testing

/// A small GAN on 2-D points: a generator and a discriminator, each with its own optimiser, trained by a custom step.
final class PointGAN: Model, SerializableModel, @unchecked Sendable {
    let latent: Int
    let generator: Sequential
    let discriminator: Sequential
    let generatorOptimizer = Adam(learningRate: 0.01, beta1: 0.5)
    let discriminatorOptimizer = Adam(learningRate: 0.01, beta1: 0.5)
    let generatorLoss = Mean(name: "g_loss"), discriminatorLoss = Mean(name: "d_loss")

    init(latent: Int) {
        self.latent = latent
        generator = Sequential(inputShape: [latent]) {
            Dense(16, activation: .relu)
            Dense(2)
        }
        discriminator = Sequential(inputShape: [2]) {
            Dense(16, activation: .relu)
            Dropout(0.1)
            Dense(1)
        }
        super.init(inputShape: [latent])
    }

    static var typeName: String { "PointGAN" }
    var config: [String: JSONValue] { ["latent": .int(latent)] }
    convenience init(config: ConfigReader) throws { self.init(latent: try config.int("latent")) }

    override var optimizers: [String: Optimizer] { ["generator": generatorOptimizer, "discriminator": discriminatorOptimizer] }

    /// Samples points from latent codes.
    override func callAsFunction(_ z: Tensor) throws -> Tensor { try generator(z) }

    override func trainStep(_ batch: Batch) throws -> [String: Float] {
        let real = batch.inputs[0], n = batch.count
        var rng = stepContext!.generator()
        let bce = Loss.binaryCrossentropy(fromLogits: true)
        let ones = Tensor.ones([n, 1]), zeros = Tensor.zeros([n, 1])
        // The discriminator learns real from generated points (the generator is not updated here).
        let fake = try withoutGrad { try generator(Tensor.randomNormal([n, latent], using: &rng)) }
        let dLoss = try withLearningPhase(training: true) {
            try bce(discriminator(real), ones) + bce(discriminator(fake), zeros)
        }
        discriminator.zeroGrad()
        dLoss.backward()
        discriminatorOptimizer.step(discriminator)
        // The generator learns to be taken for real.
        let gLoss = try withLearningPhase(training: true) {
            try bce(discriminator(generator(Tensor.randomNormal([n, latent], using: &rng))), ones)
        }
        generator.zeroGrad()
        gLoss.backward()
        generatorOptimizer.step(generator)
        discriminatorLoss.update(dLoss.item, weight: Float(n))
        generatorLoss.update(gLoss.item, weight: Float(n))
        return ["d_loss": discriminatorLoss.result(), "g_loss": generatorLoss.result()]
    }

    override func testStep(_ batch: Batch) throws -> [String: Float] {
        let fake = try generator(Tensor.zeros([batch.count, latent]))
        generatorLoss.update(fake.square().mean().item, weight: Float(batch.count))
        return ["g_loss": generatorLoss.result()]
    }
}

/// Points on a ring of radius 2.
func ringPoints(_ n: Int, seed: UInt64) -> Tensor {
    var g = SeededGenerator(seed: seed)
    var values: [Float] = []
    for _ in 0..<n {
        let angle = 2 * Float.pi * g.nextUnitFloat()
        values += [2 * cos(angle) + 0.05 * g.nextNormal(), 2 * sin(angle) + 0.05 * g.nextNormal()]
    }
    return Tensor(shape: [n, 2], scalars: values)
}

/// Counts the callbacks `fit` makes.
final class CallCounter: Callback {
    var epochs: [Int] = [], batches = 0, began = 0, ended = 0
    var lastLogs: [String: Float] = [:]
    func onTrainBegin(model: Model) throws { began += 1 }
    func onBatchEnd(_ batch: Int, logs: [String: Float], model: Model) throws { batches += 1 }
    func onEpochEnd(_ epoch: Int, logs: [String: Float], model: Model) throws { epochs.append(epoch); lastLogs = logs }
    func onTrainEnd(model: Model) throws { ended += 1 }
}

/// A student that learns from a teacher's softened outputs carried in each batch's extras, plus the hard labels.
final class Student: Model, @unchecked Sendable {
    let network = Sequential(inputShape: [2]) { Dense(8, activation: .relu, seed: 21); Dense(3, seed: 22) }
    let temperature: Float = 2
    let distillation = Mean(name: "distillation")

    override func callAsFunction(_ x: Tensor) throws -> Tensor { try network(x) }

    override func trainStep(_ batch: Batch) throws -> [String: Float] {
        guard let teacher = batch.extras["teacher"] else { throw NNError.invalidArgument("the batch carries no teacher outputs") }
        let loss = try withLearningPhase(training: true) { () throws -> Tensor in
            let logits = try network(batch.inputs[0])
            let soft = -((teacher / temperature).softmax(axis: -1) * (logits / temperature).logSoftmax(axis: -1)).sum(axes: [1]).mean()
            return soft * (temperature * temperature) + (try Loss.sparseCategoricalCrossentropy(fromLogits: true)(logits, batch.targets[0]))
        }
        network.zeroGrad()
        loss.backward()
        optimizer!.step(network)
        distillation.update(loss.item, weight: Float(batch.count))
        return ["distillation": distillation.result()]
    }
}

@Suite("Custom training steps")
struct CustomStepTests {
    @Test func aStepReadsExtrasFromTheBatch() throws {
        let (x, y) = blobs(240, seed: 12)
        let teacher = smallClassifier()
        try teacher.compile(optimizer: Adam(learningRate: 0.02), loss: .sparseCategoricalCrossentropy())
        try teacher.fit(x: x, y: y, epochs: 20, batchSize: 30, verbose: .silent)
        let teacherLogits = try teacher.predict(x).log()
        let student = Student(inputShape: [2])
        student.compile(optimizer: Adam(learningRate: 0.02), loss: .sparseCategoricalCrossentropy(fromLogits: true), metrics: [Accuracy()])
        let data = try Dataset.tensorSlices(inputs: [x], targets: [y], extras: ["teacher": teacherLogits]).shuffled(buffer: 240, seed: 1).batched(30)
        let history = try student.fit(data, epochs: 15, verbose: .silent)
        #expect(history["distillation"].last! < history["distillation"].first!)
        #expect(try student.evaluate(x: x, y: y)["accuracy"]! > 0.9)
    }

    private func data() throws -> Dataset<Batch> {
        try Dataset.tensorSlices(inputs: [ringPoints(512, seed: 3)]).shuffled(buffer: 512, seed: 4).batched(64).prefetched(2)
    }

    private func freshGAN() -> PointGAN { WeightSeed.withSeed(77) { PointGAN(latent: 3) } }

    private func weights(_ model: Model) -> [Float] { model.namedParameters.flatMap { $0.parameter.value.scalars } }

    @Test func twoOptimisersTrainThroughFitWithCallbacks() throws {
        let gan = freshGAN()
        let counter = CallCounter()
        let before = weights(gan)
        let history = try gan.fit(try data(), epochs: 3, callbacks: [counter], verbose: .silent, seed: 9)
        #expect(counter.began == 1 && counter.ended == 1 && counter.epochs == [0, 1, 2] && counter.batches == 24)
        #expect(Set(history.keys) == ["d_loss", "g_loss"], "\(history.keys)")
        #expect(gan.generatorOptimizer.iterations == 24 && gan.discriminatorOptimizer.iterations == 24)
        #expect(weights(gan) != before)
        #expect(gan.namedParameters.map(\.name).contains("generator.layers.0.kernel"))
    }

    @Test func resumingFromABackupEndsWithTheWeightsOfAnUninterruptedRun() throws {
        let straight = freshGAN()
        let straightDir = temporaryPath("gan-straight")
        defer { try? FileManager.default.removeItem(atPath: straightDir) }
        try straight.fit(try data(), epochs: 4, callbacks: [BackupAndRestore(directory: straightDir)], verbose: .silent, seed: 9)

        let backups = temporaryPath("gan-backups")
        defer { try? FileManager.default.removeItem(atPath: backups) }
        // The first process stops after two epochs (its backups stay behind)…
        try freshGAN().fit(try data(), epochs: 2, callbacks: [BackupAndRestore(directory: backups)], verbose: .silent, seed: 9)
        // … and a new one builds the same model (its weights scrambled here) and resumes from them.
        let resumed = freshGAN()
        for parameter in resumed.parameters { parameter.assign(Tensor.full(parameter.value.shape, 0.5)) }
        let restore = BackupAndRestore(directory: backups)
        let counter = CallCounter()
        let history = try resumed.fit(try data(), epochs: 4, callbacks: [restore, counter], verbose: .silent, seed: 9)
        #expect(restore.restoredHistory.count == 2 && history.epochs.count == 2 && counter.epochs == [2, 3])
        #expect(resumed.generatorOptimizer.iterations == straight.generatorOptimizer.iterations)
        expectClose(weights(resumed), weights(straight), tol: 1e-5)
    }

    @Test func aSubclassSavesWithItsClassAndLoadsOnceRegistered() throws {
        let gan = freshGAN()
        try gan.fit(try data(), epochs: 1, verbose: .silent, seed: 2)
        let path = temporaryPath("gan.kouzi")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try gan.save(to: path)
        ModelRegistry.register(PointGAN.self)
        let restored = try Model.load(from: path)
        #expect(restored is PointGAN)
        let z = rand([5, 3], 12)
        expectClose(try restored(z).scalars, try gan(z).scalars, tol: 1e-6)
    }

    @Test func modelsWithoutAnOptimiserDoNotTrain() throws {
        let model = try residualClassifier()
        let (x, y) = blobs(30, seed: 1)
        #expect(throws: NNError.notCompiled) { try model.fit(x: x, y: y, verbose: .silent) }
        #expect(throws: NNError.notCompiled) { try model.fit(try Dataset.tensorSlices(inputs: [x], targets: [y]).batched(10), verbose: .silent) }
    }
}
