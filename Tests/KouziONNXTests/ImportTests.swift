import Foundation
import KouziNN
import KouziONNX
import KouziTensor
import KouziTestSupport
import Testing

/// Models written by Kouzi come back equal, models written elsewhere give ONNX Runtime's outputs, and an imported
/// model trains.
@Suite("ONNX import")
struct ImportTests {
    func outputs(_ model: Model, _ inputs: [Tensor]) throws -> [Tensor] {
        try withLearningPhase(training: false) { try model(inputs) }
    }

    /// Export then import gives the same function, and the transposes around every window cancel out.
    @Test func roundTripKeepsTheFunction() throws {
        let image = Input(shape: [10, 10, 3], name: "image")
        let stem = try Conv2D(6, kernelSize: 3, padding: .same, activation: .relu, seed: 1)(image)
        let normed = try BatchNorm()(try Conv2D(6, kernelSize: 3, padding: .same, seed: 2)(stem))
        let pooled = try MaxPool2D(poolSize: 2)(try ActivationLayer(.relu)(try Add()([stem, normed])))
        let up = try UpSampling2D(size: 2)(try ZeroPadding2D(padding: [1])(try AveragePool2D(poolSize: 2, padding: .same)(pooled)))
        let features = try Concatenate()([try GlobalAveragePool2D()(up), try GlobalMaxPool2D()(pooled)])
        let logits = try Dense(4, activation: .softmax, seed: 3)(try Dense(8, activation: .gelu, seed: 4)(features))
        let cnn = try Model(inputs: image, outputs: logits)
        let sequence = Sequential(inputShape: [12, 4], [
            Conv1D(5, kernelSize: 3, padding: .same, activation: .tanh, seed: 5), MaxPool1D(poolSize: 2), LayerNorm(),
            Dense(6, activation: .sigmoid, seed: 6), Flatten(), Dense(2, seed: 7)])
        try sequence.ensureBuilt(sampleShape: [12, 4])
        let mlp = Sequential(inputShape: [7], [Dense(9, activation: .leakyRelu, seed: 8), Dropout(0.2), Dense(3, activation: .logSoftmax, seed: 9)])
        let transposed = Sequential(inputShape: [4, 5, 2], [Conv2DTranspose(3, kernelSize: 3, strides: 2, padding: .same, seed: 10), Flatten()])
        try transposed.ensureBuilt(sampleShape: [4, 5, 2])
        let text = Sequential(inputShape: [6], [
            Embedding(inputDim: 20, outputDim: 5, seed: 15), SimpleRNN(4, returnSequences: true, seed: 16),
            LSTM(5, returnSequences: true, seed: 17), Bidirectional(GRU(3, returnSequences: true, seed: 18), seed: 19),
            Bidirectional(LSTM(4, seed: 20), seed: 21), Dense(2, seed: 22)])
        try text.ensureBuilt(sampleShape: [6])
        let ids = Tensor(shape: [3, 6], values: (0..<18).map { Int64(1 + ($0 * 7) % 19) })
        for (model, x) in [(cnn, rand([2, 10, 10, 3], 11)), (sequence, rand([3, 12, 4], 12)), (mlp, rand([4, 7], 13)),
                           (transposed, rand([2, 4, 5, 2], 14)), (text, ids)] {
            let back = try ONNXImporter.model(from: try ONNXExporter.data(model))
            let expected = try outputs(model, [x])[0], got = try outputs(back, [x])[0]
            expectClose(got.scalars, expected.scalars, tol: 1e-5)
            #expect(got.shape == expected.shape)
            let permutes = back.graphView!.calls.filter { $0.layer is Permute }.count
            #expect(permutes == 0, "\(permutes) Permute layers left in \(back.graphView!.calls.map(\.name))")
            #expect(back.parameterCount == model.parameterCount)
        }
    }

    /// Models written with the onnx helper API (and by torch.onnx.export where torch is installed): Kouzi gives
    /// ONNX Runtime's outputs.
    @Test(.enabled(if: OnnxRuntime.available, "python3 with onnx, onnxruntime and safetensors is not installed"))
    func foreignModelsMatchOnnxRuntime() throws {
        let folder = try makeTemporaryDirectory("kouzi-onnx-foreign")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try OnnxRuntime.python([repositoryRoot() + "/scripts/onnx/foreign_models.py", folder.path])
        #expect(run.status == 0, "\(run.output)")
        let names = run.output.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        #expect(Set(["helper_mlp", "helper_cnn", "helper_lstm", "helper_bigru"]).isSubset(of: names))
        for name in names {
            let base = folder.appendingPathComponent(name).path
            let model = try ONNXImporter.model(contentsOf: base + "/model.onnx")
            let inputs = try SafeTensors.read(from: base + "/inputs.safetensors").tensors
            let expected = try SafeTensors.read(from: base + "/outputs.safetensors").tensors
            let view = model.graphView!
            let ours = try outputs(model, view.inputs.map { inputs[$0.name]! })
            for (output, tensor) in zip(view.outputs, ours) {
                expectEqualOutputs(tensor, expected[output.name]!, "\(name).\(output.name)")
            }
        }
    }

    /// The imported weights are parameters: one epoch of training lowers the loss.
    @Test func importedModelFineTunes() throws {
        let original = Sequential(inputShape: [6], [Dense(12, activation: .relu, seed: 20), Dense(3, activation: .softmax, seed: 21)])
        let model = try ONNXImporter.model(from: try ONNXExporter.data(original))
        var generator = SeededGenerator(seed: 3)
        let x = Tensor(shape: [256, 6], scalars: (0..<(256 * 6)).map { _ in Float.random(in: -1...1, using: &generator) })
        let labels = (0..<256).map { Int64(x[index: $0, 0] > 0 ? (x[index: $0, 1] > 0 ? 2 : 1) : 0) }
        let y = Tensor(shape: [256], values: labels)
        model.compile(optimizer: Adam(learningRate: 0.01), loss: .sparseCategoricalCrossentropy())
        let before = try model.evaluate(x: x, y: y)["loss"]!
        _ = try model.fit(x: x, y: y, epochs: 1, batchSize: 32, verbose: .silent)
        let after = try model.evaluate(x: x, y: y)["loss"]!
        #expect(after < before, "loss \(before) → \(after)")
        // The file the fine-tuned model saves to loads back as a Kouzi model.
        let folder = try makeTemporaryDirectory("kouzi-onnx-tuned")
        defer { try? FileManager.default.removeItem(at: folder) }
        try model.save(to: folder.appendingPathComponent("tuned.kouzi").path)
        let loaded = try Model.load(from: folder.appendingPathComponent("tuned.kouzi").path)
        expectClose(try outputs(loaded, [x])[0].scalars, try outputs(model, [x])[0].scalars)
    }
}
