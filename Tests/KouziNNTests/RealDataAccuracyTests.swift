import Foundation
import KouziData
import KouziNN
import KouziTensor
import KouziTestSupport
import Testing

/// Accuracy targets on the real data sets. Numeric code is 10–50× slower in debug builds, so these
/// run in release builds (the README's test command) and skip with a message in debug.
@Suite("Accuracy on real data", .serialized)
struct RealDataAccuracyTests {
    func ready(_ name: String) -> String? { accuracyDataset(name) }

    /// The source documents' MLP (784-128-64-10, ReLU, softmax, Adam, batch 64) on MNIST: ≥ 97.5 % in ≤ 10 epochs.
    @Test(.tags(.accuracy), .accuracyRun) func mnistMLPReaches97Point5Percent() throws {
        guard let dir = ready("mnist") else { return }
        let train = try MNIST.load(directory: dir, split: .train)
        let test = try MNIST.load(directory: dir, split: .test)
        let model = Sequential(inputShape: [784]) {
            Dense(128, activation: .relu, seed: 421)
            Dense(64, activation: .relu, seed: 422)
            Dense(10, activation: .softmax, seed: 423)
        }
        try model.compile(optimizer: Adam(learningRate: 1e-3), loss: .sparseCategoricalCrossentropy(), metrics: ["accuracy"])
        let start = Date()
        // Adam with a cosine decay of its rate over the 10 epochs: 98.0–98.1 % over seeds, against
        // 97.7–97.9 % at a constant rate (measured), which leaves margin for other CPUs' BLAS kernels.
        let history = try model.fit(x: train.images, y: train.labels, epochs: 10, batchSize: 64,
                                    callbacks: [LearningRateScheduler(.cosine(period: 10, minimum: 1e-5))],
                                    verbose: .epochLines, seed: 7)
        let result = try model.evaluate(x: test.images, y: test.labels)
        let accuracy = result["accuracy"]!
        print("MNIST MLP: test accuracy \(accuracy) after \(history.epochs.count) epochs in \(Int(Date().timeIntervalSince(start))) s")
        #expect(history.epochs.count <= 10)
        #expect(accuracy >= 0.975)
    }

    /// Logistic regression (one softmax layer) on Iris: ≥ 93 % on a held-out stratified split.
    @Test(.tags(.accuracy), .accuracyRun) func irisLogisticRegressionReaches93Percent() throws {
        guard let dir = ready("sklearn-bundled") else { return }
        let iris = try SklearnBundled.load(.iris, directory: dir)
        let split = try DataSplit.trainTestSplit(x: iris.x, y: iris.y, testFraction: 0.3, seed: 1, stratify: true)
        var scaler = StandardScaler()
        let xTrain = try scaler.fitTransform(split.xTrain), xTest = try scaler.transform(split.xTest)
        let model = Sequential(inputShape: [4]) { Dense(3, activation: .softmax, seed: 11) }
        try model.compile(optimizer: Adam(learningRate: 0.05), loss: .sparseCategoricalCrossentropy(), metrics: ["accuracy"])
        try model.fit(x: xTrain, y: split.yTrain, epochs: 100, batchSize: 16, verbose: .silent, seed: 3)
        let accuracy = try model.evaluate(x: xTest, y: split.yTest)["accuracy"]!
        print("Iris logistic regression: held-out accuracy \(accuracy) on \(split.xTest.shape[0]) samples")
        #expect(accuracy >= 0.93)
    }

    /// A regression MLP on the diabetes table beats predicting the training mean on held-out data.
    @Test func diabetesRegressionBeatsTheMean() throws {
        guard let dir = ready("sklearn-bundled") else { return }
        let diabetes = try SklearnBundled.load(.diabetes, directory: dir)
        let split = try DataSplit.trainTestSplit(x: diabetes.x, y: diabetes.y.cast(to: .float32).reshaped([-1, 1]),
                                                 testFraction: 0.25, seed: 2)
        var xs = StandardScaler(), ys = StandardScaler()
        let xTrain = try xs.fitTransform(split.xTrain), xTest = try xs.transform(split.xTest)
        let yTrain = try ys.fitTransform(split.yTrain)
        let model = Sequential(inputShape: [xTrain.shape[1]]) {
            Dense(32, activation: .relu, seed: 21)
            Dense(1, seed: 22)
        }
        try model.compile(optimizer: Adam(learningRate: 3e-3), loss: .meanSquaredError, metrics: ["r2"])
        try model.fit(x: xTrain, y: yTrain, epochs: 60, batchSize: 32, verbose: .silent, seed: 4)
        let predicted = try ys.inverseTransform(model.predict(xTest))
        let mse = (predicted - split.yTest).square().mean().item
        let baseline = (split.yTest - split.yTrain.mean()).square().mean().item
        let r2 = RegressionMetric(.r2)
        try r2.update(predictions: predicted, targets: split.yTest)
        print("Diabetes MLP: test MSE \(mse) vs mean-prediction MSE \(baseline) (R² \(r2.result()))")
        #expect(mse < baseline * 0.8)
    }
}
