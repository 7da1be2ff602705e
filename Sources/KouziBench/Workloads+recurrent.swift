import KouziNN
import KouziTensor

extension Workloads {
    /// The recurrent workloads (same names as in scripts/bench/recurrent.py).
    static var recurrent: [Workload] { [lstmTrainStep(batch: 32, steps: 100)] }

    /// Embedding(10000, 64)-LSTM(64)-Dense(2) training step on random ids, Adam.
    static func lstmTrainStep(batch: Int, steps: Int) -> Workload {
        Workload(name: "lstm_train_step_b\(batch)",
                 detail: "Embedding(10000,64)-LSTM(64)-Dense(2) train step, sequence \(steps), batch \(batch), Adam") {
            WeightSeed.seed(1)
            let model = Sequential {
                Embedding(inputDim: 10_000, outputDim: 64)
                LSTM(64)
                Dense(2, activation: .softmax)
            }
            var g = SeededGenerator(seed: 5)
            let x = Tensor(shape: [batch, steps], values: (0..<(batch * steps)).map { _ in Int64(g.next() % 10_000) })
            let y = Tensor(shape: [batch], values: (0..<batch).map { Int64($0 % 2) })
            _ = try withoutGrad { try model(x) }
            let opt = Adam(learningRate: 1e-3)
            let loss = Loss.sparseCategoricalCrossentropy()
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
}
