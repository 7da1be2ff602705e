import KouziExplain
import KouziNN
import KouziTensor

extension Workloads {
    /// Kernel SHAP of one row of a 30-feature table model (30-64-2, tanh, softmax) against 100 background rows, with
    /// the default budget of 2 · 30 + 2048 coalitions (210,800 model rows).
    static func kernelSHAP() -> Workload {
        Workload(name: "kernel_shap_30f_bg100", detail: "Kernel SHAP, 1 row, 30 features, 100 background rows, 2108 coalitions") {
            WeightSeed.seed(5)
            let model = Sequential(inputShape: [30]) {
                Dense(64, activation: .tanh)
                Dense(2, activation: .softmax)
            }
            try model.ensureBuilt(sampleShape: [30])
            let background = Tensor.randomNormal([100, 30], seed: 6), row = Tensor.randomNormal([1, 30], seed: 7)
            let explainer = try TableExplainer(predict: { try model.predict($0, batchSize: $0.shape[0]) }, background: background)
            return try medianTime(warmup: 2, minRuns: 10) { _ = try explainer.kernelSHAP(row) }
        }
    }

    static var explanations: [Workload] { [kernelSHAP()] }
}
