import Foundation
import KouziNN
import KouziONNX
import KouziTensor
import KouziTestSupport
import Testing

/// Every layer family, exported and run by ONNX Runtime on the inputs Kouzi runs: outputs equal to 1e-5 relative,
/// and every file passes `onnx.checker.check_model` with full checking.
@Suite("ONNX export parity", .enabled(if: OnnxRuntime.available, "python3 with onnx, onnxruntime and safetensors is not installed"))
struct ExportParityTests {
    /// A model and the inputs to compare it on.
    struct Subject {
        let name: String
        let model: Model
        let inputs: [String: Tensor]
    }

    /// Exports each subject, runs it in Kouzi and in ONNX Runtime, and compares every output.
    func check(_ subjects: [Subject]) throws {
        let cases = try subjects.map { OnnxRuntime.Case(name: $0.name, onnx: try ONNXExporter.data($0.model), inputs: $0.inputs) }
        let results = try OnnxRuntime.run(cases)
        for subject in subjects {
            let names = subject.model.graphView?.outputs.map(\.name) ?? ["output"]
            let inputNames = subject.model.graphView?.inputs.map(\.name) ?? ["input"]
            let ours = try withLearningPhase(training: false) {
                try subject.model(inputNames.map { subject.inputs[$0]! })
            }
            switch results[subject.name]! {
            case .failure(let error):
                Issue.record("\(subject.name): \(error)")
            case .success(let theirs):
                for (name, tensor) in zip(names, ours) {
                    guard let reference = theirs[name] else {
                        Issue.record("\(subject.name): ONNX Runtime gave no output '\(name)' (it gave \(theirs.keys.sorted()))")
                        continue
                    }
                    expectEqualOutputs(tensor, reference, "\(subject.name).\(name)")
                }
            }
        }
    }

    static func sequential(_ name: String, _ shape: [Int], batch: Int = 3, seed: UInt64, _ layers: [any Layer]) throws -> Subject {
        let model = Sequential(inputShape: shape, layers)
        try model.ensureBuilt(sampleShape: shape)
        return Subject(name: name, model: model, inputs: ["input": rand([batch] + shape, seed)])
    }

    /// Token ids in 1..<vocabulary, each row right-padded with zeros after its length.
    static func ids(_ lengths: [Int], steps: Int, vocabulary: Int, seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        var values: [Int64] = []
        for length in lengths {
            values += (0..<steps).map { $0 < length ? Int64.random(in: 1..<Int64(vocabulary), using: &generator) : 0 }
        }
        return Tensor(shape: [lengths.count, steps], values: values)
    }

    @Test func denseAndActivations() throws {
        try check([
            Self.sequential("mlp", [12], seed: 1, [
                Dense(16, activation: .relu, seed: 1), Dense(16, activation: .tanh, seed: 2), Dense(16, activation: .gelu, seed: 3),
                Dense(16, activation: .leakyRelu, seed: 4), Dense(16, activation: .softplus, seed: 5),
                Dense(8, activation: .sigmoid, seed: 6), Dropout(0.5), Dense(5, activation: .softmax, seed: 7)]),
            Self.sequential("dense_over_steps", [4, 6], seed: 2, [
                Dense(7, activation: .linear, useBias: false, seed: 8), ActivationLayer(.logSoftmax),
                Dense(3, seed: 9), LayerNorm(), Reshape([12]), Dense(2, seed: 10)]),
        ])
    }

    @Test func convolutionsAndPooling() throws {
        let norm = BatchNorm()
        let subjects = [
            try Self.sequential("cnn", [12, 12, 3], seed: 3, [
                Conv2D(8, kernelSize: 3, padding: .same, activation: .relu, seed: 11), MaxPool2D(poolSize: 2),
                Conv2D(6, kernelSize: [3, 2], strides: 2, padding: .same, seed: 12), norm, AveragePool2D(poolSize: 2, padding: .same),
                Flatten(), Dense(4, activation: .softmax, seed: 13)]),
            try Self.sequential("cnn_variants", [11, 9, 4], seed: 4, [
                ZeroPadding2D(padding: [1, 2, 0, 1]), Conv2D(8, kernelSize: 3, dilation: 2, groups: 2, seed: 14),
                Conv2D(4, kernelSize: 2, padding: .explicit([1, 0, 2, 1]), activation: .sigmoid, useBias: false, seed: 15),
                UpSampling2D(size: [2, 3]), MaxPool2D(poolSize: 3, strides: 2, padding: .same), GlobalMaxPool2D()]),
            try Self.sequential("transposed", [5, 6, 3], seed: 5, [
                Conv2DTranspose(4, kernelSize: 3, strides: 2, seed: 16), Conv2DTranspose(3, kernelSize: 4, strides: 2, padding: .same, seed: 17),
                Conv2DTranspose(2, kernelSize: 3, strides: 2, padding: .explicit([1]), outputPadding: 1, seed: 18), GlobalAveragePool2D()]),
            try Self.sequential("conv1d", [20, 5], seed: 6, [
                ZeroPadding1D(padding: [2, 1]), Conv1D(8, kernelSize: 3, padding: .same, activation: .relu, seed: 19),
                MaxPool1D(poolSize: 2), Conv1D(6, kernelSize: 3, strides: 2, dilation: 1, seed: 20), UpSampling1D(size: 2),
                AveragePool1D(poolSize: 3, strides: 1, padding: .same), GlobalMaxPool1D()]),
        ]
        // Running statistics that are not the defaults.
        norm.runningMean = rand([6], 40)
        norm.runningVariance = rand([6], 41, low: 0.5, high: 2)
        norm.gamma = rand([6], 42)
        norm.beta = rand([6], 43)
        try check(subjects)
    }

    @Test func recurrentLayers() throws {
        let lengths = [7, 4, 1, 6]
        let ids = Self.ids(lengths, steps: 7, vocabulary: 30, seed: 7)
        func text(_ name: String, maskZero: Bool, _ layers: [any Layer]) throws -> Subject {
            let model = Sequential(inputShape: [7], [Embedding(inputDim: 30, outputDim: 6, maskZero: maskZero, seed: 21)] + layers)
            try model.ensureBuilt(sampleShape: [7])
            return Subject(name: name, model: model, inputs: ["input": ids])
        }
        try check([
            try text("rnn_stack", maskZero: false, [
                SimpleRNN(5, returnSequences: true, seed: 22), LSTM(6, returnSequences: true, seed: 23), GRU(4, seed: 24)]),
            try text("masked_rnn_stack", maskZero: true, [
                SimpleRNN(5, activation: .relu, returnSequences: true, seed: 25), LSTM(6, returnSequences: true, seed: 26),
                GRU(4, seed: 27)]),
            try text("bidirectional", maskZero: true, [
                Bidirectional(LSTM(5, returnSequences: true, seed: 28), seed: 29), Bidirectional(GRU(3, seed: 30), mergeMode: .sum, seed: 31)]),
            try text("bidirectional_sequences_sum", maskZero: false, [
                Bidirectional(GRU(4, returnSequences: true, seed: 32), mergeMode: .sum, seed: 33), TimeDistributed(Dense(3, seed: 34))]),
            try text("masked_average", maskZero: true, [GlobalAveragePool1D(), Dense(2, activation: .softmax, seed: 35)]),
        ])
    }

    @Test func attentionAndTransformers() throws {
        let ids = Self.ids([8, 5, 2], steps: 8, vocabulary: 25, seed: 8)
        func text(_ name: String, maskZero: Bool, _ layers: [any Layer]) throws -> Subject {
            let model = Sequential(inputShape: [8], [Embedding(inputDim: 25, outputDim: 8, maskZero: maskZero, seed: 60)] + layers)
            try model.ensureBuilt(sampleShape: [8])
            return Subject(name: name, model: model, inputs: ["input": ids])
        }
        try check([
            try text("transformer", maskZero: true, [
                SinusoidalPositionalEncoding(maxLength: 16),
                TransformerEncoderLayer(modelDim: 8, heads: 2, feedforwardDim: 16, dropout: 0.1, activation: .gelu, seed: 61),
                TransformerEncoderLayer(modelDim: 8, heads: 4, feedforwardDim: 12, dropout: 0, normFirst: true, seed: 62),
                GlobalAveragePool1D(), Dense(2, activation: .softmax, seed: 63)]),
            try text("attention", maskZero: false, [
                LearnedPositionalEmbedding(maxLength: 10, seed: 64), MultiHeadAttention(heads: 2, keyDim: 3, valueDim: 5, seed: 65),
                GlobalMaxPool1D()]),
        ])
    }

    /// The seed models of examples/specs (MLP, CNN, LSTM, BiLSTM, Transformer classifier, the functional ResNet) as
    /// their specs build them, on right-padded sentences for the text models.
    @Test func seedModels() throws {
        let folder = repositoryRoot() + "/examples/specs/"
        let shapes = ["mlp-mnist": [784], "cnn-mnist": [28, 28, 1], "lstm-sst2": [48], "bilstm-sst2": [48],
                      "transformer-sst2": [20], "resnet-fashion": [28, 28, 1]]
        var subjects: [Subject] = []
        for (name, shape) in shapes.sorted(by: { $0.key < $1.key }) {
            let spec = try ModelSpec(contentsOf: folder + name + ".json")
            let model = try spec.makeModel(inputShape: spec.inputShape == [-1] ? nil : shape)
            if model.graphView == nil { try model.ensureBuilt(sampleShape: shape) }
            let inputName = model.graphView?.inputs.first?.name ?? "input"
            let x = ((model as? Sequential)?.layers.first is Embedding)
                ? Self.ids([shape[0], shape[0] / 2, 3, 1], steps: shape[0], vocabulary: 500, seed: 70)
                : rand([2] + shape, 71)
            subjects.append(Subject(name: name, model: model, inputs: [inputName: x]))
        }
        try check(subjects)
    }

    @Test func functionalGraphs() throws {
        let left = Input(shape: [6], name: "left"), right = Input(shape: [6], name: "right")
        let shared = Dense(5, activation: .tanh, seed: 36)
        let a = try shared(left), b = try shared(right)
        let merged = try Concatenate()([try Add()([a, b]), try Subtract()([a, b]), try Multiply()([a, b]), try Average()([a, b]),
                                       try Maximum()([a, b]), try Minimum()([a, b])])
        let two = try Model(inputs: [left, right], outputs: ["score": try Dense(1, activation: .sigmoid, seed: 37)(merged),
                                                            "code": merged])
        let image = Input(shape: [8, 8, 4], name: "image")
        let stem = try Conv2D(4, kernelSize: 3, padding: .same, activation: .relu, seed: 38)(image)
        let block = try Conv2D(4, kernelSize: 3, padding: .same, seed: 39)(try Conv2D(4, kernelSize: 3, padding: .same, activation: .relu, seed: 40)(stem))
        let residual = try ActivationLayer(.relu)(try Add()([stem, block]))
        let resnet = try Model(inputs: image, outputs: try Dense(3, seed: 41)(try GlobalAveragePool2D()(residual)))
        let tokens = Input(shape: [-1], dtype: .int64, name: "tokens")
        let open = try Model(inputs: tokens, outputs: try LSTM(4, seed: 43)(try Embedding(inputDim: 12, outputDim: 3, seed: 42)(tokens)))
        try check([
            Subject(name: "two_inputs", model: two, inputs: ["left": rand([4, 6], 50), "right": rand([4, 6], 51)]),
            Subject(name: "residual", model: resnet, inputs: ["image": rand([2, 8, 8, 4], 52)]),
            Subject(name: "open_steps", model: open, inputs: ["tokens": Self.ids([9, 9], steps: 9, vocabulary: 12, seed: 53)]),
        ])
    }
}
