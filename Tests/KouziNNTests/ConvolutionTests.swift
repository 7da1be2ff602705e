import Foundation
import KouziNN
import KouziTensor
import KouziTestSupport
import Testing

/// Convolution ops and layers: PyTorch parity, finite-difference gradients, shapes and bad input.
@Suite("Convolution")
struct ConvolutionTests {
    static let fixtures: [LayerFixtureCase] = (try? LayerFixtureFile.load("convolution").cases) ?? []

    @Test func fixturesArePresent() {
        #expect(Self.fixtures.count >= 30, "Tests/KouziNNTests/Fixtures/convolution.json: run scripts/make_fixtures.py convolution")
    }

    @Test(arguments: ConvolutionTests.fixtures.map(\.name))
    func matchesPyTorch(_ name: String) throws {
        let c = try #require(Self.fixtures.first { $0.name == name })
        try checkLayerFixture(c)
    }

    @Test func conv2dGradients() {
        checkGradients([rand([2, 5, 6, 3], 1), rand([3, 2, 3, 4], 2), rand([4], 3)]) { t in
            t[0].conv2d(kernel: t[1], bias: t[2], strides: (2, 1), padding: .explicit([1, 0, 2, 1]), dilation: (1, 2))
        }
        checkGradients([rand([1, 5, 5, 4], 4), rand([3, 3, 2, 6], 5)]) { t in
            t[0].conv2d(kernel: t[1], padding: .same, groups: 2)
        }
        checkGradients([rand([2, 3, 4, 3], 6), rand([1, 1, 3, 2], 7), rand([2], 8)]) { t in
            t[0].conv2d(kernel: t[1], bias: t[2])
        }
    }

    @Test func conv1dGradients() {
        checkGradients([rand([2, 7, 4], 31), rand([3, 2, 4], 32), rand([4], 33)]) { t in
            t[0].conv1d(kernel: t[1], bias: t[2], stride: 2, padding: .explicit([2, 1]), dilation: 2, groups: 2)
        }
    }

    @Test func conv2dTransposeGradients() {
        checkGradients([rand([2, 3, 3, 2], 11), rand([3, 3, 4, 2], 12), rand([4], 13)]) { t in
            t[0].conv2dTranspose(kernel: t[1], bias: t[2], strides: (2, 2), padding: .explicit([1]), outputPadding: (1, 0))
        }
        checkGradients([rand([1, 3, 4, 4], 14), rand([2, 2, 3, 4], 15)]) { t in
            t[0].conv2dTranspose(kernel: t[1], strides: (1, 2), dilation: (2, 1), groups: 2)
        }
    }

    @Test func layerGradients() throws {
        let conv1 = Conv1D(4, kernelSize: 3, strides: 2, padding: .same, activation: .tanh, seed: 1)
        let conv2 = Conv2D(3, kernelSize: [2, 3], padding: .explicit([1, 0]), activation: .tanh, seed: 2)
        let convT = Conv2DTranspose(2, kernelSize: 3, strides: 2, padding: .same, seed: 3)
        for (layer, shape) in [(conv1, [2, 7, 3]), (conv2, [2, 4, 5, 2]), (convT, [1, 3, 3, 2])] as [(any Layer, [Int])] {
            let x = rand(shape, 21)
            _ = try layer(x)
            let params = layer.parameters.map(\.value)
            checkGradients([x] + params) { t in
                for (p, v) in zip(layer.parameters, t.dropFirst()) { p.assign(v) }
                return try! layer(t[0])
            }
        }
    }

    @Test func outputShapesMatchForwardPass() throws {
        let layers: [(any Layer, [Int])] = [
            (Conv2D(8, kernelSize: 3, strides: 2, padding: .same, seed: 1), [2, 9, 10, 3]),
            (Conv2D(4, kernelSize: [3, 1], dilation: [2, 1], seed: 2), [1, 9, 4, 2]),
            (Conv1D(5, kernelSize: 4, strides: 3, padding: .explicit([2, 0]), seed: 3), [2, 11, 3]),
            (Conv2DTranspose(3, kernelSize: 4, strides: 2, padding: .explicit([1]), seed: 4), [1, 5, 6, 2]),
            (Conv2DTranspose(3, kernelSize: 3, strides: 3, padding: .same, seed: 5), [1, 2, 3, 2]),
            (Flatten(), [2, 3, 4, 5]),
            (Reshape([-1, 6]), [2, 3, 4]),
            (Permute([3, 1, 2]), [2, 3, 4, 5]),
        ]
        for (layer, shape) in layers {
            let predicted = try layer.outputShape(for: [-1] + shape.dropFirst())
            let actual = try layer(rand(shape, 9)).shape
            #expect(predicted == [-1] + actual.dropFirst(), "\(layer.name) on \(shape)")
        }
        #expect(try Conv2DTranspose(3, kernelSize: 3, strides: 2, padding: .same, seed: 6).outputShape(for: [-1, 4, 5, 2]) == [-1, 8, 10, 3])
    }

    /// Permute moves each sample's axes (Keras' numbering from 1), its gradient moves them back, and it round-trips
    /// through a model file.
    @Test func permuteReordersSampleAxes() throws {
        let x = rand([2, 3, 4, 5], 40)
        let y = try Permute([3, 1, 2])(x)
        #expect(y.shape == [2, 5, 3, 4])
        #expect(y[index: 1, 4, 2, 3] == x[index: 1, 2, 3, 4])
        checkGradients([rand([2, 3, 4], 41)]) { t in try! Permute([2, 1])(t[0]) * rand([2, 4, 3], 42) }
        #expect(throws: NNError.self) { try Permute([2, 1])(rand([2, 3, 4, 5], 43)) }
        let restored = try LayerRegistry.makeLayer(try LayerRegistry.spec(of: Permute([2, 3, 1])))
        #expect((restored as? Permute)?.dims == [2, 3, 1])
        #expect(throws: NNError.self) { try LayerRegistry.makeLayer(["type": "Permute", "dims": [1, 1]]) }
    }

    @Test func emptyImagesThrowInsteadOfTrapping() {
        // A model file may declare a height or width of 0: no window fits it, whatever the padding.
        #expect(throws: NNError.self) { try Conv2D(2, kernelSize: 3, padding: .same, seed: 1)(Tensor.zeros([1, 0, 8, 1])) }
        #expect(throws: NNError.self) { try MaxPool2D(poolSize: 2, padding: .same)(Tensor.zeros([1, 4, 0, 2])) }
        #expect(throws: NNError.self) { try Conv2D(2, kernelSize: 1, seed: 1).outputShape(for: [-1, 0, 8, 1]) }
        #expect(throws: NNError.self) { try Conv2DTranspose(2, kernelSize: 3, seed: 1)(Tensor.zeros([1, 0, 4, 1])) }
    }

    @Test func badInputThrowsNamingTheShape() throws {
        let conv = Conv2D(4, kernelSize: 3, seed: 1)
        #expect(throws: NNError.self) { try conv(rand([2, 5, 5], 1)) }
        _ = try conv(rand([1, 5, 5, 3], 2))
        #expect(throws: NNError.self) { try conv(rand([1, 5, 5, 2], 3)) }
        #expect(throws: NNError.self) { try conv(rand([1, 2, 5, 3], 4)) }
        do {
            _ = try conv(rand([1, 5, 5, 2], 3))
        } catch let error as NNError {
            #expect(error.description.contains("[1, 5, 5, 2]") && error.description.contains("3"))
        }
        #expect(throws: NNError.self) { try Conv1D(2, kernelSize: 3, seed: 1)(rand([2, 5, 5, 1], 5)) }
        #expect(throws: NNError.self) { try Conv2D(4, kernelSize: 3, groups: 2, seed: 1)(rand([1, 5, 5, 3], 6)) }
        #expect(throws: NNError.self) { try Conv2DTranspose(2, kernelSize: 3, inputChannels: 4, seed: 1)(rand([1, 3, 3, 2], 7)) }
        #expect(throws: NNError.self) { try Flatten()(rand([4], 8)) }
        #expect(throws: NNError.self) { try Reshape([5])(rand([2, 6], 9)) }
    }

    @Test func configsRoundTrip() throws {
        let layers: [any Layer] = [
            Conv2D(8, kernelSize: [3, 5], strides: 2, padding: .explicit([1, 2, 0, 1]), dilation: [1, 2], groups: 2,
                   activation: .relu, useBias: false, seed: 1),
            Conv1D(4, kernelSize: 3, padding: .same, seed: 2),
            Conv2DTranspose(3, kernelSize: 2, strides: 2, outputPadding: 1, seed: 3),
            MaxPool2D(poolSize: 3, strides: 2, padding: .same), AveragePool1D(poolSize: 4),
            GlobalMaxPool2D(), Flatten(), Reshape([7, -1]), ZeroPadding2D(padding: [1, 2]), UpSampling1D(size: 3),
        ]
        for layer in layers {
            let spec = try LayerRegistry.spec(of: layer)
            let again = try LayerRegistry.makeLayer(spec)
            #expect(try LayerRegistry.spec(of: again) == spec)
        }
        #expect(throws: NNError.self) { try LayerRegistry.makeLayer(["type": .string("Conv2D"), "filters": .number(4), "kernel_size": .number(3), "stride": .number(2)]) }
        #expect(throws: NNError.self) { try LayerRegistry.makeLayer(["type": .string("Conv2D"), "filters": .number(4)]) }
        #expect(throws: NNError.self) { try LayerRegistry.makeLayer(["type": .string("MaxPool2D"), "padding": .string("full")]) }
        #expect(throws: NNError.self) { try LayerRegistry.makeLayer(["type": .string("Conv2D"), "filters": .number(3), "kernel_size": .number(3), "groups": .number(2)]) }
    }

    @Test func sequentialCNNTrainsAndReportsShapes() throws {
        let model = Sequential(inputShape: [12, 12, 1]) {
            Conv2D(4, kernelSize: 3, activation: .relu, seed: 1)
            MaxPool2D()
            Flatten()
            Dense(3, activation: .softmax, seed: 2)
        }
        #expect(try model.outputShape(for: [-1, 12, 12, 1]) == [-1, 3])
        try model.compile(optimizer: Adam(learningRate: 1e-2), loss: .sparseCategoricalCrossentropy(), metrics: ["accuracy"])
        let x = rand([12, 12, 12, 1], 3)
        let y = Tensor(shape: [12], values: (0..<12).map { Int64($0 % 3) })
        let history = try model.fit(x: x, y: y, epochs: 30, batchSize: 4, verbose: .silent, seed: 1)
        #expect(history.epochs.last!["loss"]! < history.epochs.first!["loss"]!)
    }
}
