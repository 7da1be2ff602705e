import Foundation
import KouziData
import KouziNN
import KouziTensor
import KouziTestSupport
import Testing

/// A small Transformer-encoder text classifier on SST-2: ≥ 78 % on the dev split. Release builds only.
@Suite("Transformer on SST-2", .serialized)
struct TransformerAccuracyTests {
    @Test(.tags(.accuracy), .accuracyRun) func transformerClassifierReaches78Percent() throws {
        guard let dir = accuracyDataset("sst2") else { return }
        let train = try SST2.load(directory: dir, split: .train)
        let dev = try SST2.load(directory: dir, split: .dev)
        let vocabulary = Vocabulary(train.sentences, minCount: 2)
        // Training phrases are short; dev sentences are full sentences, so they get a longer window.
        let (xTrain, yTrain) = try train.tensors(vocabulary: vocabulary, length: 32)
        let (xDev, yDev) = try dev.tensors(vocabulary: vocabulary, length: 64)
        let model = Sequential(inputShape: [-1]) {
            Embedding(inputDim: vocabulary.count, outputDim: 64, maskZero: true, seed: 1)
            SinusoidalPositionalEncoding(maxLength: 128)
            TransformerEncoderLayer(modelDim: 64, heads: 4, feedforwardDim: 128, dropout: 0.1, seed: 2)
            GlobalAveragePool1D()
            Dropout(0.2, seed: 3)
            Dense(2, activation: .softmax, seed: 4)
        }
        try model.compile(optimizer: Adam(learningRate: 5e-4), loss: .sparseCategoricalCrossentropy(), metrics: ["accuracy"])
        let start = Date()
        let epochs = 3
        let history = try model.fit(x: xTrain, y: yTrain, epochs: epochs, batchSize: 64,
                                    callbacks: [LearningRateScheduler(.cosine(period: epochs, minimum: 5e-5))],
                                    verbose: .epochLines, seed: 5)
        let seconds = Int(Date().timeIntervalSince(start))
        let accuracy = try model.evaluate(x: xDev, y: yDev)["accuracy"]!
        print("Transformer SST-2: dev accuracy \(accuracy) after \(history.epochs.count) epochs in \(seconds) s (vocabulary \(vocabulary.count))")
        #expect(accuracy >= 0.78)
    }
}
