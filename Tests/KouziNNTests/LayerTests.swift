import KouziNN
import KouziTensor
import KouziTestSupport
import Testing

/// A custom layer with nested layers, an array of layers and an optional layer.
final class Block: Layer {
    let first = Dense(4, activation: .tanh, inputSize: 3, seed: 1)
    let stack: [any Layer] = [Dense(4, inputSize: 4, seed: 2), ActivationLayer(.softplus)]
    let head: Dense? = Dense(2, inputSize: 4, seed: 3)
    @Param var scale = Tensor.ones([2])

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        var h = try first(x)
        for l in stack { h = try l(h) }
        return try head!(h) * scale
    }
}

@Suite("Layers")
struct LayerTests {
    @Test func parametersAreDiscoveredWithoutRegistration() {
        let b = Block()
        let names = b.namedParameters.map(\.name)
        #expect(names == ["first.kernel", "first.bias", "stack.0.kernel", "stack.0.bias", "head.kernel", "head.bias", "scale"])
        #expect(b.parameterCount == 3 * 4 + 4 + 16 + 4 + 8 + 2 + 2)
        #expect(b.trainableParameters.count == 7)
    }

    @Test func denseBuildsLazilyFromItsFirstInput() throws {
        let d = Dense(5, activation: .relu)
        #expect(!d.isBuilt)
        #expect(d.parameterCount == 0)
        let y = try d(Tensor.ones([2, 7]))
        #expect(y.shape == [2, 5])
        #expect(d.kernel.shape == [7, 5])
        #expect(d.parameterCount == 40)
        #expect(throws: NNError.self) { try d(Tensor.ones([2, 6])) }
    }

    @Test func denseGradientsPassFiniteDifferences() throws {
        let d = Dense(3, activation: .tanh, inputSize: 4, seed: 7)
        checkGradients([rand([5, 4], 1), d.kernel, d.bias]) { xs in
            Tensor.linear(xs[0], weight: xs[1], bias: xs[2]).tanh()
        }
        // Through the layer itself: gradients reach the parameters.
        let x = rand([5, 4], 2)
        try d(x).square().sum().backward()
        #expect(d.$kernel.grad?.shape == [4, 3])
        #expect(d.$bias.grad?.shape == [3])
    }

    @Test func customLayerGradientCheck() throws {
        let b = Block()
        let x = rand([3, 3], 4)
        // Perturb the custom layer's parameters through the gradient checker by rebuilding the graph.
        let params = b.parameters
        checkGradients([x] + params.map(\.value)) { xs in
            for (p, v) in zip(params, xs.dropFirst()) { p.assign(v) }
            return try! b(xs[0])
        }
    }

    @Test func initialisersHaveTheirDocumentedSpread() throws {
        var g = SeededGenerator(seed: 1)
        let glorot = Initializer.glorotUniform.make([200, 300], fanIn: 200, fanOut: 300, using: &g)
        let limit = (6.0 / 500.0).squareRoot()
        #expect(glorot.max().item <= Float(limit) && glorot.min().item >= -Float(limit))
        let he = Initializer.heNormal.make([400, 400], fanIn: 400, fanOut: 400, using: &g)
        #expect(Swift.abs(he.standardDeviation().item - (2.0 / 400).squareRoot()) < 0.003)
        let gn = Initializer.glorotNormal.make([400, 400], fanIn: 400, fanOut: 400, using: &g)
        #expect(Swift.abs(gn.standardDeviation().item - (2.0 / 800).squareRoot()) < 0.002)
        let hu = Initializer.heUniform.make([400, 400], fanIn: 400, fanOut: 400, using: &g)
        #expect(hu.max().item <= (6.0 / 400).squareRoot())
        #expect(try Initializer(named: "xavier_uniform") == .glorotUniform)
        #expect(try Initializer(named: "kaiming_normal") == .heNormal)
    }

    @Test func activationsByName() throws {
        #expect(try Activation(named: "LeakyReLU") == .leakyRelu)
        #expect(try Activation(named: "log_softmax") == .logSoftmax)
        #expect(throws: NNError.self) { try Activation(named: "swishy") }
    }
}
