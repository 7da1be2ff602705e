import KouziNN
import KouziTensor

extension Workloads {
    /// The convolution workloads (same names as in scripts/bench/convolution.py).
    static var convolution: [Workload] { [cnnTrainStep(batch: 32), cnnInference(batch: 32)] }

    /// The guide's CNN: Conv2D(32, 3×3)-MaxPool-Conv2D(64, 3×3)-MaxPool-Flatten-Dense(128)-Dense(10), 28×28×1.
    static func cnnModel() -> Sequential {
        WeightSeed.seed(1)
        return Sequential(inputShape: [28, 28, 1]) {
            Conv2D(32, kernelSize: 3, activation: .relu)
            MaxPool2D(poolSize: 2)
            Conv2D(64, kernelSize: 3, activation: .relu)
            MaxPool2D(poolSize: 2)
            Flatten()
            Dense(128, activation: .relu)
            Dense(10, activation: .softmax)
        }
    }

    static func cnnTrainStep(batch: Int) -> Workload {
        Workload(name: "cnn_train_step_b\(batch)", detail: "CNN 32c3-pool-64c3-pool-128-10 train step, batch \(batch), Adam") {
            let model = cnnModel()
            let opt = Adam(learningRate: 1e-3)
            let loss = Loss.sparseCategoricalCrossentropy()
            let x = Tensor.randomUniform([batch, 28, 28, 1], seed: 3)
            let y = Tensor(shape: [batch], values: (0..<batch).map { Int64($0 % 10) })
            _ = try model(x)
            let params = model.trainableParameters
            return try medianTime(warmup: 10, minRuns: 50) {
                try withLearningPhase(training: true) {
                    for p in params { p.zeroGrad() }
                    let l = try loss(model(x), y)
                    l.backward()
                    opt.step(params)
                }
            }
        }
    }

    static func cnnInference(batch: Int) -> Workload {
        Workload(name: "cnn_infer_b\(batch)", detail: "CNN 32c3-pool-64c3-pool-128-10 predict, batch \(batch)") {
            let model = cnnModel()
            let x = Tensor.randomUniform([batch, 28, 28, 1], seed: 4)
            return try medianTime(warmup: 10, minRuns: 100) { _ = try model.predict(x) }
        }
    }
}
