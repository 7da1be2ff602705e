import KouziNN
import KouziTensor

extension Workloads {
    /// The transformer workloads (same names as in scripts/bench/transformer.py).
    static var transformer: [Workload] { [transformerTrainStep()] }

    /// 2-layer Transformer encoder (d_model 64, 4 heads, feed-forward 128, post-norm, dropout 0.1) over
    /// sequences of 64 steps, batch 32, mean-pooled into a 2-class head; one Adam step.
    static func transformerTrainStep() -> Workload {
        Workload(name: "transformer_train_step_b32", detail: "2-layer Transformer encoder d64 h4 ff128, seq 64, batch 32, Adam") {
            let encoder = Sequential(inputShape: [64, 64]) {
                TransformerEncoderLayer(modelDim: 64, heads: 4, feedforwardDim: 128, dropout: 0.1, seed: 1)
                TransformerEncoderLayer(modelDim: 64, heads: 4, feedforwardDim: 128, dropout: 0.1, seed: 2)
            }
            let head = Dense(2, inputSize: 64, seed: 3)
            let params = encoder.trainableParameters + head.trainableParameters
            let opt = Adam(learningRate: 1e-3)
            let loss = Loss.sparseCategoricalCrossentropy(fromLogits: true)
            let x = Tensor.randomNormal([32, 64, 64], seed: 4)
            let y = Tensor(shape: [32], values: (0..<32).map { Int64($0 % 2) })
            return try medianTime(warmup: 5, minRuns: 30) {
                try withLearningPhase(training: true) {
                    for p in params { p.zeroGrad() }
                    let pooled = try encoder(x).mean(axis: 1)
                    try loss(head(pooled), y).backward()
                    opt.step(params)
                }
            }
        }
    }
}
