import Foundation
import KouziNN
import KouziTensor
import KouziTestSupport
import Testing

/// Behaviour of the recurrent layers: shapes, masks, state, bad input and serialisation.
@Suite("Recurrent layers")
struct RecurrentLayerTests {
    @Test func shapesFollowReturnSequences() throws {
        let x = rand([2, 5, 3], 1)
        #expect(try LSTM(4, seed: 1)(x).shape == [2, 4])
        #expect(try LSTM(4, returnSequences: true, seed: 1)(x).shape == [2, 5, 4])
        #expect(try GRU(4, returnSequences: true, seed: 1)(x).shape == [2, 5, 4])
        #expect(try SimpleRNN(4, seed: 1)(x).shape == [2, 4])
        #expect(try Bidirectional(LSTM(4, seed: 1))(x).shape == [2, 8])
        #expect(try Bidirectional(GRU(4, returnSequences: true, seed: 1), mergeMode: .sum)(x).shape == [2, 5, 4])
        #expect(try TimeDistributed(Dense(6, seed: 1))(x).shape == [2, 5, 6])
        #expect(try LSTM(4, returnSequences: true).outputShape(for: [-1, 5, 3]) == [-1, 5, 4])
    }

    /// Extra right padding (id 0) changes nothing when the embedding masks zeros, in either direction.
    @Test(arguments: ["LSTM", "GRU", "SimpleRNN"])
    func paddingIsSkipped(kind: String) throws {
        func model() throws -> Sequential {
            WeightSeed.seed(11)
            let inner = try LayerRegistry.makeLayer(["type": .string(kind), "units": .number(4)]) as! any RecurrentLayer
            return Sequential {
                Embedding(inputDim: 10, outputDim: 3, maskZero: true, seed: 2)
                Bidirectional(inner, seed: 3)
            }
        }
        let m = try model()
        let short = Tensor(shape: [1, 3], values: [Int64(4), 7, 2])
        let padded = Tensor(shape: [1, 6], values: [Int64(4), 7, 2, 0, 0, 0])
        expectClose(try m(short).scalars, try m(padded).scalars, tol: 1e-6)
    }

    @Test func maskedStepsOutputZerosAndKeepState() throws {
        let layer = LSTM(3, returnSequences: true, seed: 4)
        let x = rand([1, 4, 2], 5)
        let mask = Tensor([[1, 0, 1, 0]])
        let (out, state) = try layer(x, initialState: nil, mask: mask)
        #expect(out.slice(axis: 1, 1..<2).scalars == [0, 0, 0])
        #expect(out.slice(axis: 1, 3..<4).scalars == [0, 0, 0])
        expectClose(state[0].scalars, out.slice(axis: 1, 2..<3).scalars)
    }

    @Test func initialStateIsUsedAndReturned() throws {
        let layer = GRU(3, seed: 6)
        let x = rand([2, 3, 2], 7)
        let zero = try layer(x, initialState: nil)
        let other = try layer(x, initialState: [rand([2, 3], 8)])
        #expect(zero.output.scalars != other.output.scalars)
        #expect(other.state.count == 1)
        #expect(try LSTM(3, seed: 1)(x, initialState: nil).state.count == 2)
    }

    @Test func badInputsThrowNamedErrors() throws {
        let lstm = LSTM(3, seed: 1)
        #expect(throws: NNError.self) { try lstm(rand([2, 3], 1)) }
        _ = try lstm(rand([2, 3, 2], 1))
        #expect(throws: NNError.self) { try lstm(rand([2, 3, 5], 1)) }
        #expect(throws: NNError.self) { try lstm(rand([2, 3, 2], 1), initialState: [rand([2, 3], 2)]) }
        #expect(throws: NNError.self) { try lstm(rand([2, 3, 2], 1), initialState: nil, mask: Tensor.ones([3, 3])) }
        #expect(throws: NNError.self) { try TimeDistributed(Dense(2))(rand([2, 3], 1)) }
    }

    @Test func configsRoundTripThroughTheRegistry() throws {
        let layers: [any Layer] = [
            Embedding(inputDim: 50, outputDim: 8, maskZero: true, paddingIndex: 0),
            LSTM(7, returnSequences: true), GRU(5), SimpleRNN(4, activation: .relu),
            Bidirectional(LSTM(6), mergeMode: .sum), TimeDistributed(Dense(3)),
        ]
        for layer in layers {
            let spec = try LayerRegistry.spec(of: layer)
            let again = try LayerRegistry.makeLayer(spec)
            #expect(try LayerRegistry.spec(of: again) == spec)
        }
        #expect(throws: NNError.self) { try LayerRegistry.makeLayer(["type": .string("LSTM"), "units": .number(4), "retrun_sequences": .bool(true)]) }
        #expect(throws: NNError.self) { try LayerRegistry.makeLayer(["type": .string("Bidirectional"), "layer": .object(["type": .string("Dense"), "units": .number(2)])]) }
        #expect(throws: NNError.self) { try LayerRegistry.makeLayer(["type": .string("LSTM"), "units": .number(0)]) }
    }

    @Test func sequentialTrainsAndSavesWithRecurrentLayers() throws {
        let x = Tensor(shape: [8, 5], values: (0..<40).map { Int64(($0 * 7) % 9) })
        let y = Tensor(shape: [8], values: (0..<8).map { Int64($0 % 2) })
        let model = Sequential {
            Embedding(inputDim: 9, outputDim: 4, maskZero: true, seed: 1)
            Bidirectional(LSTM(4, seed: 2), seed: 3)
            Dense(2, activation: .softmax, seed: 4)
        }
        try model.compile(optimizer: Adam(learningRate: 0.05), loss: .sparseCategoricalCrossentropy(), metrics: ["accuracy"])
        let history = try model.fit(x: x, y: y, epochs: 30, batchSize: 4, verbose: .silent, seed: 1)
        #expect(history["loss"].last! < history["loss"].first!)
        #expect(model.namedParameters.map(\.name).contains("layers.1.backwardLayer.recurrentKernel"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("recurrent-\(UUID().uuidString).kouzi").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path)
        let loaded = try Sequential.load(from: path)
        #expect(try loaded.predict(x).scalars == model.predict(x).scalars)
    }

    @Test(arguments: ["lstm-sst2.json", "bilstm-sst2.json"])
    func exampleSpecsBuild(file: String) throws {
        let model = try ModelSpec(contentsOf: repositoryRoot() + "/examples/specs/" + file).makeModel()
        let ids = Tensor(shape: [2, 48], values: (0..<96).map { Int64($0 % 7) })
        #expect(try model.predict(ids).shape == [2, 2])
    }
}
