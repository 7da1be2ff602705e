import Foundation
import KouziNN
import KouziTensor
import KouziTestSupport
import Testing

@Suite("PyTorch parity: normalisation and attention")
struct AttentionParityTests {
    let file = try! LayerFixtureFile.load("attention")

    func cases(_ prefix: String) -> [LayerFixtureCase] { file.cases.filter { $0.name.hasPrefix(prefix) } }

    @Test func layerNormMatches() throws {
        #expect(cases("layernorm").count == 2)
        for c in cases("layernorm") { try checkLayerFixture(c) }
    }

    @Test func batchNormMatchesInTrainingAndInference() throws {
        #expect(cases("batchnorm").count == 2)
        for c in cases("batchnorm") {
            let layer = try LayerRegistry.makeLayer(c.config) as! BatchNorm
            try checkLayerFixture(c, makeLayer: { _ in layer })
            compare(layer.runningMean, c.tensor("extra.running_mean_after")!, "\(c.name) running mean")
            compare(layer.runningVariance, c.tensor("extra.running_var_after")!, "\(c.name) running variance")
        }
    }

    @Test func selfAttentionThroughTheLayerInterface() throws {
        try checkLayerFixture(cases("mha_self")[0])
    }

    @Test func maskedAndCrossAttentionMatch() throws {
        for c in cases("mha_").filter({ $0.name != "mha_self" }) {
            let mha = try LayerRegistry.makeLayer(c.config) as! MultiHeadAttention
            var key = c.tensor("extra.key")!, value = c.tensor("extra.value")!
            key.requiresGrad = true
            value.requiresGrad = true
            let causal = c.name.hasSuffix("causal")
            try checkLayerFixture(c, makeLayer: { _ in mha }, forward: { layer, q in
                try (layer as! MultiHeadAttention)(query: q, key: key, value: value,
                                                   keyPaddingMask: c.tensor("extra.key_padding_mask"), causal: causal)
            })
            compare(key.grad!, c.tensor("extra.grad_key")!, "\(c.name) key gradient")
            compare(value.grad!, c.tensor("extra.grad_value")!, "\(c.name) value gradient")
        }
    }

    @Test func encoderLayersMatch() throws {
        #expect(cases("encoder").count == 2)
        for c in cases("encoder") {
            try checkLayerFixture(c, forward: { layer, x in
                try (layer as! TransformerEncoderLayer)(x, keyPaddingMask: c.tensor("extra.key_padding_mask"))
            })
        }
    }

    @Test func decoderLayersMatch() throws {
        #expect(cases("decoder").count == 2)
        for c in cases("decoder") {
            guard case let .bool(normFirst)? = c.config["norm_first"] else { Issue.record("no norm_first"); continue }
            var memory = c.tensor("extra.memory")!
            memory.requiresGrad = true
            try checkLayerFixture(c, makeLayer: { _ in
                TransformerDecoderLayer(modelDim: 8, heads: 2, feedforwardDim: 16, dropout: 0, normFirst: normFirst)
            }, forward: { layer, target in
                try (layer as! TransformerDecoderLayer)(target, memory: memory, causal: true)
            })
            compare(memory.grad!, c.tensor("extra.grad_memory")!, "\(c.name) memory gradient")
        }
    }
}

@Suite("Normalisation, dropout and attention")
struct AttentionLayerTests {
    @Test func gradientChecks() throws {
        let ln = LayerNorm(features: 4)
        checkGradients([rand([3, 4], 1, low: -2, high: 2), rand([4], 2), rand([4], 3)]) { xs in
            ln.$gamma.assign(xs[1]); ln.$beta.assign(xs[2])
            return try! ln(xs[0])
        }
        let bn = BatchNorm(channels: 3)
        checkGradients([rand([4, 2, 3], 4, low: -2, high: 2)]) { xs in
            try! withLearningPhase(training: true) { try bn(xs[0]) }
        }
        let mha = MultiHeadAttention(heads: 2, inputDim: 4, seed: 5)
        let mask = Tensor([[1, 1, 0], [1, 1, 1]])
        checkGradients([rand([2, 3, 4], 6), mha.queryKernel, mha.valueKernel], eps: 5e-3) { xs in
            mha.$queryKernel.assign(xs[1]); mha.$valueKernel.assign(xs[2])
            return try! mha(query: xs[0], key: xs[0], value: xs[0], keyPaddingMask: mask, causal: true)
        }
        let enc = TransformerEncoderLayer(modelDim: 4, heads: 2, feedforwardDim: 6, dropout: 0, activation: .gelu, normFirst: true, seed: 7)
        checkGradients([rand([2, 3, 4], 8)], eps: 5e-3) { xs in try! enc(xs[0]) }
    }

    @Test func dropoutScalesInTrainingAndPassesThroughInInference() throws {
        let d = Dropout(0.25, seed: 1)
        let x = Tensor.ones([100_000])
        #expect(try d(x).scalars == x.scalars)
        let y = try withLearningPhase(training: true) { try d(x) }
        let kept = y.scalars.filter { $0 != 0 }
        #expect(Swift.abs(Float(kept.count) / 100_000 - 0.75) < 0.01)
        #expect(kept.allSatisfy { Swift.abs($0 - 1 / 0.75) < 1e-6 })
        let again = try withLearningPhase(training: true) { try Dropout(0.25, seed: 1)(x) }
        #expect(again.scalars == y.scalars)
    }

    @Test func positionalEncodings() throws {
        let table = SinusoidalPositionalEncoding.table(steps: 3, features: 4)
        expectClose(table.scalars, [0, 1, 0, 1, 0.841_470_96, 0.540_302_3, 0.009_999_833, 0.999_95,
                                    0.909_297_4, -0.416_146_84, 0.019_998_666, 0.999_8])
        let pe = SinusoidalPositionalEncoding(maxLength: 8)
        #expect(try pe(Tensor.zeros([2, 3, 4])).shape == [2, 3, 4])
        let long = #expect(throws: NNError.self) { try pe(Tensor.zeros([1, 9, 4])) }
        #expect(long?.description.contains("at most 8 steps") == true)
        let learned = LearnedPositionalEmbedding(maxLength: 4, seed: 2)
        #expect(try learned(Tensor.zeros([2, 4, 6])).shape == [2, 4, 6])
        #expect(throws: NNError.self) { try learned(Tensor.zeros([2, 5, 6])) }
        checkGradients([rand([2, 3, 6], 9)]) { xs in try! learned(xs[0]) }
    }

    @Test func causalMaskBlocksTheFuture() throws {
        #expect(Attention.causalMask(3).scalars == [1, 0, 0, 1, 1, 0, 1, 1, 1])
        // With a causal mask the first output depends only on the first step.
        let mha = MultiHeadAttention(heads: 1, inputDim: 2, seed: 3)
        let a = Tensor(shape: [1, 3, 2], scalars: [1, 2, 3, 4, 5, 6]), b = Tensor(shape: [1, 3, 2], scalars: [1, 2, 9, 9, 7, 7])
        let ya = try mha(query: a, key: a, value: a, causal: true), yb = try mha(query: b, key: b, value: b, causal: true)
        expectClose(Array(ya.scalars.prefix(2)), Array(yb.scalars.prefix(2)))
    }

    @Test func badInputsAreNamed() throws {
        let mha = MultiHeadAttention(heads: 2, inputDim: 4)
        let e = #expect(throws: NNError.self) { try mha(Tensor.zeros([2, 3, 5])) }
        #expect(e?.description.contains("[batch, steps, 4]") == true)
        #expect(throws: NNError.self) { try mha(query: Tensor.zeros([2, 3, 4]), key: Tensor.zeros([2, 3, 4]), value: Tensor.zeros([2, 3, 4]),
                                                 keyPaddingMask: Tensor.ones([2, 4])) }
        #expect(throws: NNError.self) { try BatchNorm(channels: 3)(Tensor.zeros([2, 4])) }
        #expect(throws: NNError.self) { try LayerNorm(features: 3)(Tensor.zeros([2, 4])) }
        #expect(throws: NNError.self) { try TransformerDecoderLayer(modelDim: 4, heads: 2)(Tensor.zeros([1, 2, 4])) }
        #expect(throws: NNError.self) { try LayerRegistry.makeLayer(["type": .string("TransformerEncoderLayer"), "model_dim": .number(6), "heads": .number(4)]) }
    }

    @Test func transformerClassifierSavesAndLoads() throws {
        let model = Sequential(inputShape: [5, 8]) {
            SinusoidalPositionalEncoding(maxLength: 16)
            TransformerEncoderLayer(modelDim: 8, heads: 2, feedforwardDim: 16, dropout: 0.1, seed: 1)
            LayerNorm()
            Dense(2, activation: .softmax, seed: 2)
        }
        model.compile(optimizer: Adam(), loss: .meanSquaredError)
        let x = Tensor.randomNormal([3, 5, 8], seed: 4)
        let path = temporaryPath("transformer.kouzi")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path)
        let loaded = try Sequential.load(from: path)
        #expect(try loaded.predict(x).scalars == model.predict(x).scalars)
    }
}
