import Foundation
import KouziData
import KouziNN
import KouziTensor
import KouziTestSupport
import Testing

/// The source documents' CNN on MNIST and Fashion-MNIST. Release builds only (debug numeric code is
/// 10–50× slower); skips with a message where the data sets are absent.
@Suite("CNN accuracy on real data", .serialized)
struct ConvAccuracyTests {
    func ready(_ name: String) -> String? { accuracyDataset(name) }

    /// Conv2D 32 → MaxPool → Conv2D 64 → MaxPool → Conv2D 128 → MaxPool → Flatten → Dense 512 → softmax.
    ///
    /// The first convolution pads (`same`), so the last pooling leaves a 2 × 2 map (512 features)
    /// rather than 1 × 1; this is examples/specs/cnn-mnist.json.
    static func documentCNN(seed: UInt64) -> Sequential {
        Sequential(inputShape: [28, 28, 1]) {
            Conv2D(32, kernelSize: 3, padding: .same, activation: .relu, seed: seed)
            MaxPool2D(poolSize: 2)
            Conv2D(64, kernelSize: 3, activation: .relu, seed: seed + 1)
            MaxPool2D(poolSize: 2)
            Conv2D(128, kernelSize: 3, activation: .relu, seed: seed + 2)
            MaxPool2D(poolSize: 2)
            Flatten()
            Dense(512, activation: .relu, seed: seed + 3)
            Dense(10, activation: .softmax, seed: seed + 4)
        }
    }

    /// Trains the CNN with Adam and a cosine-decayed rate; returns the test accuracy.
    func train(_ dataset: String, epochs: Int, batchSize: Int, rate: Float, seed: UInt64) throws -> Float? {
        guard let dir = ready(dataset) else { return nil }
        let train = try MNIST.load(directory: dir, split: .train)
        let test = try MNIST.load(directory: dir, split: .test)
        let model = Self.documentCNN(seed: seed)
        try model.compile(optimizer: Adam(learningRate: rate), loss: .sparseCategoricalCrossentropy(), metrics: ["accuracy"])
        let start = Date()
        let history = try model.fit(x: train.images.reshaped([-1, 28, 28, 1]), y: train.labels, epochs: epochs,
                                    batchSize: batchSize,
                                    callbacks: [LearningRateScheduler(.cosine(period: epochs, minimum: 1e-5))],
                                    verbose: .epochLines, seed: 7)
        let seconds = Date().timeIntervalSince(start)
        let accuracy = try model.evaluate(x: test.images.reshaped([-1, 28, 28, 1]), y: test.labels)["accuracy"]!
        print("\(dataset) CNN: test accuracy \(accuracy) after \(history.epochs.count) epochs (batch \(batchSize)) in \(Int(seconds)) s of training")
        return accuracy
    }

    @Test(.tags(.accuracy), .accuracyRun) func mnistCNNReaches99Percent() throws {
        guard let accuracy = try train("mnist", epochs: 5, batchSize: 64, rate: 1e-3, seed: 501) else { return }
        #expect(accuracy >= 0.99)
    }

    @Test(.tags(.accuracy), .accuracyRun) func fashionMNISTCNNReaches91Percent() throws {
        guard let accuracy = try train("fashion-mnist", epochs: 7, batchSize: 64, rate: 1e-3, seed: 601) else { return }
        #expect(accuracy >= 0.91)
    }
}
