import KouziData
import KouziNN
import KouziTensor
import Testing

/// The README's code, compiled and run on small data so the examples stay true.
final class Residual: Layer {
    let inner = Dense(64, activation: .relu, inputSize: 64)
    @Param var gate = Tensor.zeros([64])
    func callAsFunction(_ x: Tensor) throws -> Tensor { try x + inner(x) * gate.sigmoid() }
}

@Suite("README examples")
struct ReadmeExampleTests {
    @Test func customLayerAndTrainingLoop() throws {
        let x = Tensor.randomNormal([128, 64], seed: 1)
        let y = Tensor(shape: [128], values: (0..<128).map { Int64(x[index: $0, 0] > 0 ? 1 : 0) })
        let model = Sequential(inputShape: [64]) {
            Residual()
            Dense(2, activation: .softmax, seed: 5)
        }
        #expect(model.namedParameters.map(\.name).contains("layers.0.gate"))
        let opt = Adam(learningRate: 1e-2)
        let lossFn = Loss.sparseCategoricalCrossentropy()
        var losses: [Float] = []
        for epoch in 0..<5 {
            var total: Float = 0
            for (xb, yb) in try DataLoader(TensorDataset(x: x, y: y), batchSize: 32, shuffle: true, seed: UInt64(epoch)) {
                model.zeroGrad()
                let loss = try lossFn(model(xb), yb)
                loss.backward()
                opt.step(model)
                total += loss.item
            }
            losses.append(total)
        }
        #expect(losses.last! < losses.first!)
    }
}
