import Foundation
import KouziExplain
import KouziNN
import KouziTensor
import Testing

/// The reference values `scripts/make_fixtures.py kernel_shap` wrote with the shap package.
struct KernelSHAPFixture: Decodable {
    struct Weights: Decodable { let w1: [[Float]], b1: [Float], w2: [[Float]], b2: [Float] }
    let shap_version: String
    let background: [[Float]]
    let explained: [[Float]]
    let weights: Weights
    let expected_value: [Double]
    let shap_values: [[[Double]]]
    let predictions: [[Double]]

    static func load() throws -> KernelSHAPFixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/kernel_shap.json")
        return try JSONDecoder().decode(KernelSHAPFixture.self, from: Data(contentsOf: url))
    }

    /// The fixture's network as a Kouzi model.
    func model() throws -> Sequential {
        let hidden = Dense(16, activation: .tanh), output = Dense(3, activation: .softmax)
        let model = Sequential(inputShape: [13], [hidden, output])
        try model.ensureBuilt(sampleShape: [13])
        hidden.kernel = matrix(weights.w1)
        hidden.bias = Tensor(shape: [16], scalars: weights.b1)
        output.kernel = matrix(weights.w2)
        output.bias = Tensor(shape: [3], scalars: weights.b2)
        return model
    }
}

func matrix(_ rows: [[Float]]) -> Tensor { Tensor(shape: [rows.count, rows[0].count], scalars: rows.flatMap { $0 }) }

/// A predict function over a model, for the table explainer.
func predictor(_ model: Model) -> TableExplainer.Predict {
    { x in try model.predict(x, batchSize: Swift.max(1, x.shape[0])) }
}

@Suite("Shapley values")
struct ShapleyTests {
    @Test func kernelSHAPMatchesTheShapPackageOnTheWineTable() throws {
        let fixture = try KernelSHAPFixture.load()
        let explainer = try TableExplainer(predict: predictor(try fixture.model()), background: matrix(fixture.background))
        let explained = matrix(fixture.explained)
        let kernel = try explainer.kernelSHAP(explained, samples: (1 << 13) - 2)
        let exact = try explainer.exactShapley(explained)
        var worst = 0.0, worstExact = 0.0
        for (r, explanation) in kernel.enumerated() {
            #expect(explanation.exact)
            for k in 0..<3 {
                #expect(abs(explanation.baseValue[k] - fixture.expected_value[k]) < 1e-5)
                #expect(abs(explanation.prediction[k] - fixture.predictions[r][k]) < 1e-5)
            }
            for j in 0..<13 {
                for k in 0..<3 {
                    worst = max(worst, abs(explanation.attributions[j][k] - fixture.shap_values[r][j][k]))
                    worstExact = max(worstExact, abs(exact[r].attributions[j][k] - fixture.shap_values[r][j][k]))
                }
            }
            #expect(explanation.additivityGap < 1e-4)
            #expect(exact[r].additivityGap < 1e-4)
        }
        print("Kernel SHAP vs shap \(fixture.shap_version): largest difference \(worst); exact Shapley vs shap: \(worstExact)")
        #expect(worst < 1e-3)
        #expect(worstExact < 1e-3)
    }

    /// For a linear model the Shapley value of feature j is w_j (x_j − mean of the background's x_j).
    @Test func exactValuesOfALinearModelAreItsWeightedDeviations() throws {
        let weights: [Float] = [0.5, -1, 2, 0, 3, -0.25, 1.5, -2, 0.75, 1]
        let predict: TableExplainer.Predict = { x in
            let v = x.scalars, n = x.shape[0]
            return Tensor(shape: [n, 1], scalars: (0..<n).map { r in (0..<10).reduce(Float(0.3)) { $0 + weights[$1] * v[r * 10 + $1] } })
        }
        var generator = SystemRandomNumberGenerator()
        let background = Tensor(shape: [20, 10], scalars: (0..<200).map { _ in Float.random(in: -1...1, using: &generator) })
        let x = Tensor(shape: [2, 10], scalars: (0..<20).map { _ in Float.random(in: -2...2, using: &generator) })
        let explainer = try TableExplainer(predict: predict, background: background)
        let exact = try explainer.exactShapley(x)
        let kernel = try explainer.kernelSHAP(x)
        let b = background.scalars, v = x.scalars
        for r in 0..<2 {
            for j in 0..<10 {
                let mean = (0..<20).reduce(0.0) { $0 + Double(b[$1 * 10 + j]) } / 20
                let expected = Double(weights[j]) * (Double(v[r * 10 + j]) - mean)
                #expect(abs(exact[r].attributions[j][0] - expected) < 1e-4)
                #expect(abs(kernel[r].attributions[j][0] - expected) < 1e-4)
            }
            #expect(kernel[r].exact, "2^10 - 2 coalitions fit the default budget")
        }
    }

    /// x0 · x1 with a zero background: the interaction is shared equally, and a third feature gets nothing.
    @Test func anInteractionIsSharedEquallyAndADummyGetsNothing() throws {
        let predict: TableExplainer.Predict = { x in
            let v = x.scalars
            return Tensor(shape: [x.shape[0], 1], scalars: (0..<x.shape[0]).map { v[$0 * 3] * v[$0 * 3 + 1] })
        }
        let explainer = try TableExplainer(predict: predict, background: Tensor(shape: [1, 3], scalars: [0, 0, 0]))
        let result = try explainer.exactShapley(Tensor(shape: [1, 3], scalars: [2, 3, 5]))[0]
        #expect(abs(result.attributions[0][0] - 3) < 1e-6)
        #expect(abs(result.attributions[1][0] - 3) < 1e-6)
        #expect(abs(result.attributions[2][0]) < 1e-9)
    }

    /// Beyond the enumerable size the sampled regression stays additive and close to the exact values.
    @Test func sampledKernelSHAPApproachesTheExactValues() throws {
        let m = 14
        var generator = SystemRandomNumberGenerator()
        let w1 = (0..<(m * 8)).map { _ in Float.random(in: -1...1, using: &generator) }
        let predict: TableExplainer.Predict = { x in
            let v = x.scalars, n = x.shape[0]
            return Tensor(shape: [n, 1], scalars: (0..<n).map { r in
                (0..<8).reduce(Float(0)) { sum, h in sum + tanhf((0..<m).reduce(0) { $0 + w1[$1 * 8 + h] * v[r * m + $1] }) }
            })
        }
        let background = Tensor(shape: [10, m], scalars: (0..<(10 * m)).map { _ in Float.random(in: -1...1, using: &generator) })
        let x = Tensor(shape: [1, m], scalars: (0..<m).map { _ in Float.random(in: -2...2, using: &generator) })
        let explainer = try TableExplainer(predict: predict, background: background)
        let exact = try explainer.exactShapley(x)[0]
        let sampled = try explainer.kernelSHAP(x, samples: 4096, seed: 3)[0]
        #expect(!sampled.exact)
        #expect(sampled.additivityGap < 1e-4)
        let scale = exact.attributions.map { abs($0[0]) }.max()!
        let error = zip(exact.attributions, sampled.attributions).map { abs($0[0] - $1[0]) }.max()!
        print("sampled Kernel SHAP (4096 of 16382 coalitions): largest error \(error) for values up to \(scale)")
        #expect(error < 0.1 * scale)
    }

    @Test func aFeatureThatEqualsTheWholeBackgroundGetsNoAttribution() throws {
        let predict: TableExplainer.Predict = { x in x.sum(axes: [1], keepDims: true) }
        let explainer = try TableExplainer(predict: predict, background: Tensor(shape: [2, 3], scalars: [1, 5, 0, 2, 5, 1]))
        let result = try explainer.kernelSHAP(Tensor(shape: [1, 3], scalars: [4, 5, 2]))[0]
        #expect(result.attributions[1][0] == 0)
        #expect(abs(result.attributions[0][0] - 2.5) < 1e-5)
        #expect(abs(result.attributions[2][0] - 1.5) < 1e-5)
    }

    /// The one-hot features of a column explained as one player.
    @Test func groupedFeaturesShareOneAttribution() throws {
        let predict: TableExplainer.Predict = { x in x.sum(axes: [1], keepDims: true) }
        let explainer = try TableExplainer(predict: predict, background: Tensor(shape: [1, 4], scalars: [0, 0, 0, 0]),
                                           groups: [[0], [1, 2, 3]], names: ["age", "colour"])
        let result = try explainer.exactShapley(Tensor(shape: [1, 4], scalars: [2, 0, 1, 0]))[0]
        #expect(result.attributions.count == 2)
        #expect(abs(result.attributions[0][0] - 2) < 1e-9)
        #expect(abs(result.attributions[1][0] - 1) < 1e-9)
        #expect(explainer.names == ["age", "colour"])
    }

    @Test func tokensOfASentenceGetTheirShare() throws {
        // A "model" scoring sentences by the words it knows: good +2, bad −1, not ×0.5.
        let result = try TokenAttribution.explain(tokens: ["a", "good", "film", "not", "bad"]) { lists in
            lists.map { tokens in
                let base = tokens.reduce(0.0) { $0 + ($1 == "good" ? 2 : $1 == "bad" ? -1 : 0) }
                return [tokens.contains("not") ? base * 0.5 : base]
            }
        }
        #expect(result.exact)
        #expect(result.additivityGap < 1e-9)
        #expect(abs(result.attributions[0][0]) < 1e-9)
        #expect(abs(result.attributions[2][0]) < 1e-9)
        #expect(result.attributions[1][0] > 0 && result.attributions[4][0] < 0)
        #expect(abs(result.prediction[0] - 0.5) < 1e-12)
    }

    @Test func badInputGetsClearErrors() throws {
        let predict: TableExplainer.Predict = { x in x.sum(axes: [1], keepDims: true) }
        #expect(throws: ExplainError.self) { try TableExplainer(predict: predict, background: Tensor(shape: [3], scalars: [1, 2, 3])) }
        let explainer = try TableExplainer(predict: predict, background: Tensor.zeros([4, 17]))
        do {
            _ = try explainer.kernelSHAP(Tensor.zeros([1, 5]))
            Issue.record("a row of the wrong width was explained")
        } catch let error as ExplainError {
            #expect(error.description.contains("[rows, 17]"))
        }
        do {
            _ = try explainer.exactShapley(Tensor.ones([1, 17]))
            Issue.record("17 features were enumerated")
        } catch let error as ExplainError {
            #expect(error == .tooManyFeatures(count: 17, limit: ExactShapley.maximumPlayers))
            #expect(error.description.contains("Kernel SHAP"))
        }
        #expect(throws: ExplainError.self) { try explainer.kernelSHAP(Tensor.ones([1, 17]), samples: 0) }
        #expect(throws: ExplainError.self) {
            try TableExplainer(predict: predict, background: Tensor.zeros([2, 3]), groups: [[0, 1]])
        }
        #expect(throws: ExplainError.self) {
            try TableExplainer(predict: predict, background: Tensor(shape: [1, 2], scalars: [.nan, 1]))
        }
    }
}

@Suite("Token attributions of long texts")
struct LongTextTests {
    /// 150 tokens play as 64 spans; the attributions still add up, and only the span holding the one scored word moves.
    @Test func longTextsArePlayedInSpans() throws {
        var tokens = [String](repeating: "the", count: 150)
        tokens[100] = "superb"
        var calls = 0
        let result = try TokenAttribution.explain(tokens: tokens) { lists in
            calls += lists.count
            return lists.map { [$0.contains("superb") ? 1.0 : 0.0] }
        }
        #expect(result.attributions.count == 150)
        #expect(result.additivityGap < 1e-9)
        let moved = result.attributions.indices.filter { abs(result.attributions[$0][0]) > 1e-9 }
        #expect(moved.contains(100) && moved.count <= 3, "\(moved)")
        #expect(calls <= KernelSHAP.defaultSamples(players: 64) + 2)
    }
}
