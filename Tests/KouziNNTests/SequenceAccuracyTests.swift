import Foundation
import KouziData
import KouziNN
import KouziTensor
import KouziTestSupport
import Testing

/// The source documents' sequence models on SST-2 (train on train.tsv, evaluate on dev.tsv). Numeric
/// code is 10–50× slower in debug builds, so these run in release builds and skip in debug.
@Suite("Sequence models on SST-2", .serialized)
struct SequenceAccuracyTests {
    /// Sentences are cut or 0-padded to this many tokens (dev sentences average about 19 tokens;
    /// the training phrases are mostly shorter).
    static let length = 48
    static let vocabularySize = 16_000

    struct Data {
        let vocabulary: Vocabulary
        let train: (ids: Tensor, labels: Tensor)
        let dev: (ids: Tensor, labels: Tensor)
    }

    func load() throws -> Data? {
        guard let dir = accuracyDataset("sst2") else { return nil }
        let train = try SST2.load(directory: dir, split: .train), dev = try SST2.load(directory: dir, split: .dev)
        let vocabulary = Vocabulary(train.sentences, minCount: 1, maxSize: Self.vocabularySize)
        return Data(vocabulary: vocabulary, train: try train.tensors(vocabulary: vocabulary, length: Self.length),
                    dev: try dev.tensors(vocabulary: vocabulary, length: Self.length))
    }

    /// Trains `model` and returns the dev accuracy, printing epochs and wall time.
    func trainAndEvaluate(_ model: Sequential, _ data: Data, label: String, epochs: Int, learningRate: Float) throws -> Float {
        try model.compile(optimizer: Adam(learningRate: learningRate), loss: .sparseCategoricalCrossentropy(),
                          metrics: ["accuracy"])
        let start = Date()
        let history = try model.fit(x: data.train.ids, y: data.train.labels, epochs: epochs, batchSize: 64,
                                    callbacks: [LearningRateScheduler(.cosine(period: epochs, minimum: learningRate / 20))],
                                    verbose: .epochLines, seed: 5)
        let accuracy = try model.evaluate(x: data.dev.ids, y: data.dev.labels)["accuracy"]!
        print("\(label): SST-2 dev accuracy \(accuracy) after \(history.epochs.count) epochs in \(Int(Date().timeIntervalSince(start))) s")
        return accuracy
    }

    /// Embedding → Bidirectional(LSTM) → Dense softmax: ≥ 80 % on SST-2 dev.
    @Test(.tags(.accuracy), .accuracyRun) func bidirectionalLSTMReaches80Percent() throws {
        guard let data = try load() else { return }
        let model = Sequential {
            Embedding(inputDim: data.vocabulary.count, outputDim: 64, maskZero: true, seed: 31)
            Bidirectional(LSTM(64, seed: 32), seed: 33)
            Dense(2, activation: .softmax, seed: 34)
        }
        let accuracy = try trainAndEvaluate(model, data, label: "BiLSTM", epochs: 2, learningRate: 2e-3)
        #expect(accuracy >= 0.80)
    }

    /// Embedding → LSTM (sequences) → LSTM → Dense softmax; reported, with a looser bound.
    @Test(.tags(.accuracy), .accuracyRun) func stackedLSTMLearnsSentiment() throws {
        guard let data = try load() else { return }
        let model = Sequential {
            Embedding(inputDim: data.vocabulary.count, outputDim: 64, maskZero: true, seed: 41)
            LSTM(64, returnSequences: true, seed: 42)
            LSTM(64, seed: 43)
            Dense(2, activation: .softmax, seed: 44)
        }
        let accuracy = try trainAndEvaluate(model, data, label: "Stacked LSTM", epochs: 2, learningRate: 2e-3)
        #expect(accuracy >= 0.78)
    }
}
