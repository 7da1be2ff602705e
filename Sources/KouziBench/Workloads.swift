import CBLAS
import KouziNN
import KouziTensor

/// A benchmark workload: a name shared with the PyTorch script and a timing function.
struct Workload {
    let name: String
    let detail: String
    let run: () throws -> Double
}

enum Workloads {
    static func gemmTensor(_ n: Int) -> Workload {
        Workload(name: "gemm_tensor_\(n)", detail: "Tensor.matmul \(n)×\(n)×\(n)") {
            let a = Tensor.randomNormal([n, n], seed: 1), b = Tensor.randomNormal([n, n], seed: 2)
            return medianTime(warmup: 3, minRuns: 10) { _ = withoutGrad { a.matmul(b) } }
        }
    }

    static func gemmBLAS(_ n: Int) -> Workload {
        Workload(name: "gemm_cblas_\(n)", detail: "cblas_sgemm \(n)×\(n)×\(n)") {
            let a = Tensor.randomNormal([n, n], seed: 1).scalars, b = Tensor.randomNormal([n, n], seed: 2).scalars
            var c = [Float](repeating: 0, count: n * n)
            openblas_set_num_threads(Int32(CPUBackend.configuredThreads))
            defer { openblas_set_num_threads(1) }
            return medianTime(warmup: 3, minRuns: 10) {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1,
                            a, Int32(n), b, Int32(n), 0, &c, Int32(n))
            }
        }
    }

    /// The source documents' MLP: 784-128-64-10, ReLU, softmax output.
    static func mlpModel() -> Sequential {
        WeightSeed.seed(1)
        return Sequential(inputShape: [784]) {
            Dense(128, activation: .relu)
            Dense(64, activation: .relu)
            Dense(10, activation: .softmax)
        }
    }

    static func mlpTrainStep(batch: Int) -> Workload {
        Workload(name: "mlp_train_step_b\(batch)", detail: "MLP 784-128-64-10 train step, batch \(batch), Adam") {
            let model = mlpModel()
            let opt = Adam(learningRate: 1e-3)
            let loss = Loss.sparseCategoricalCrossentropy()
            let x = Tensor.randomUniform([batch, 784], seed: 3)
            let y = Tensor(shape: [batch], values: (0..<batch).map { Int64($0 % 10) })
            let params = model.trainableParameters
            return try medianTime(warmup: 20, minRuns: 200) {
                try withLearningPhase(training: true) {
                    for p in params { p.zeroGrad() }
                    let l = try loss(model(x), y)
                    l.backward()
                    opt.step(params)
                }
            }
        }
    }

    static func mlpInference(batch: Int) -> Workload {
        Workload(name: "mlp_infer_b\(batch)", detail: "MLP 784-128-64-10 predict, batch \(batch)") {
            let model = mlpModel()
            let x = Tensor.randomUniform([batch, 784], seed: 4)
            return try medianTime(warmup: 50, minRuns: batch == 1 ? 2000 : 200) { _ = try model.predict(x) }
        }
    }

    /// Every workload; the direct OpenBLAS reference goes last (its thread pool keeps spinning after it returns).
    static var all: [Workload] {
        mlp + convolution + recurrent + transformer + fft + explanations + [gemmTensor(1024), gemmBLAS(1024)]
    }

    static var mlp: [Workload] { [mlpTrainStep(batch: 64), mlpInference(batch: 1), mlpInference(batch: 256)] }
}
