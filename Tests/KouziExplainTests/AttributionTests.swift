import Foundation
import KouziData
import KouziExplain
import KouziNN
import KouziTensor
import Testing

@Suite("Gradient attributions")
struct GradientAttributionTests {
    func classifier(seed: UInt64) throws -> Sequential {
        let model = Sequential(inputShape: [6]) {
            Dense(12, activation: .tanh, seed: seed)
            Dense(12, activation: .relu, seed: seed + 1)
            Dense(3, activation: .softmax, seed: seed + 2)
        }
        try model.ensureBuilt(sampleShape: [6])
        return model
    }

    func randomRows(_ n: Int, _ width: Int, seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        return Tensor(shape: [n, width], scalars: (0..<(n * width)).map { _ in Float.random(in: -2...2, using: &generator) })
    }

    /// The gradient equals central finite differences of the target probability.
    @Test func gradientsMatchFiniteDifferences() throws {
        let model = try classifier(seed: 11)
        let x = randomRows(3, 6, seed: 1)
        let targets = [0, 2, 1]
        let (gradient, _) = try GradientAttribution.gradients(model: model, x: x, targets: targets)
        let g = gradient.scalars, v = x.scalars
        let eps: Float = 1e-2
        for r in 0..<3 {
            for j in 0..<6 {
                var plus = v, minus = v
                plus[r * 6 + j] += eps
                minus[r * 6 + j] -= eps
                let up = try model.predict(Tensor(shape: [3, 6], scalars: plus), batchSize: 3).scalars[r * 3 + targets[r]]
                let down = try model.predict(Tensor(shape: [3, 6], scalars: minus), batchSize: 3).scalars[r * 3 + targets[r]]
                let numeric = (up - down) / (2 * eps)
                #expect(abs(numeric - g[r * 6 + j]) < 2e-3 + 2e-2 * abs(numeric))
            }
        }
        // Nothing was accumulated into the weights.
        #expect(model.parameters.allSatisfy { $0.value.grad == nil })
        let saliency = try GradientAttribution.saliency(model: model, x: x, targets: targets).scalars
        #expect(zip(saliency, g).allSatisfy { $0 == abs($1) })
        let product = try GradientAttribution.gradientTimesInput(model: model, x: x, targets: targets).scalars
        #expect(zip(product, zip(g, v)).allSatisfy { abs($0 - $1.0 * $1.1) < 1e-6 })
    }

    /// Completeness: the attributions add up to F(x) − F(baseline).
    @Test func integratedGradientsAreComplete() throws {
        let model = try classifier(seed: 21)
        let x = randomRows(4, 6, seed: 2)
        let (attributions, gap) = try GradientAttribution.integratedGradients(model: model, x: x, targets: [0, 1, 2, 0], steps: 16, tolerance: 1e-4)
        let p = try model.predict(x, batchSize: 4).scalars
        let p0 = try model.predict(Tensor.zeros([1, 6]), batchSize: 1).scalars
        let a = attributions.scalars
        for (r, t) in [0, 1, 2, 0].enumerated() {
            let sum = (0..<6).reduce(0.0) { $0 + Double(a[r * 6 + $1]) }
            let difference = Double(p[r * 3 + t]) - Double(p0[t])
            #expect(abs(sum - difference) < 1e-3, "row \(r): \(sum) vs \(difference)")
            #expect(abs(gap[r] - abs(sum - difference)) < 1e-6)
        }
    }

    @Test func modelsWithoutAGradientPathAreRefused() throws {
        let text = Sequential(inputShape: [5]) {
            Embedding(inputDim: 20, outputDim: 4)
            GlobalAveragePool1D()
            Dense(2, activation: .softmax)
        }
        try text.ensureBuilt(sampleShape: [5])
        do {
            _ = try GradientAttribution.integratedGradients(model: text, x: Tensor.ones([1, 5]), targets: [0])
            Issue.record("an embedding model was explained by its gradients")
        } catch let error as ExplainError {
            guard case .notDifferentiable = error else { Issue.record("unexpected \(error)"); return }
        }
        let model = try classifier(seed: 1)
        #expect(throws: ExplainError.self) { try GradientAttribution.gradients(model: model, x: Tensor.ones([1, 6]), targets: [7]) }
        #expect(throws: ExplainError.self) { try GradientAttribution.integratedGradients(model: model, x: Tensor.ones([1, 6]), targets: [0], steps: 0) }
        #expect(throws: ExplainError.self) {
            try GradientAttribution.integratedGradients(model: model, x: Tensor.ones([1, 6]), targets: [0], baseline: Tensor.zeros([5]))
        }
        #expect(throws: ExplainError.self) { try GradCAM.explain(model: model, x: Tensor.ones([1, 6]), targets: [0]) }
    }
}

@Suite("Global explanations")
struct GlobalExplanationTests {
    /// y = 3 x0 − 2 x1 + 0.5 x2 + noise; x3 is a shuffled copy of x0 (no link with y). A trained model ranks x3 last.
    @Test func permutationImportanceRanksAShuffledColumnLast() throws {
        var generator = SeededGenerator(seed: 5)
        let n = 600
        var x = [Float](), y = [Float]()
        var shuffledCopy = (0..<n).map { _ in Float.random(in: -1...1, using: &generator) }
        for _ in 0..<n {
            let a = Float.random(in: -1...1, using: &generator), b = Float.random(in: -1...1, using: &generator)
            let c = Float.random(in: -1...1, using: &generator)
            x += [a, b, c, 0]
            y.append(3 * a - 2 * b + 0.5 * c + Float.random(in: -0.1...0.1, using: &generator))
        }
        shuffledCopy = (0..<n).map { x[$0 * 4] }
        shuffledCopy.shuffle(using: &generator)
        for r in 0..<n { x[r * 4 + 3] = shuffledCopy[r] }
        let features = Tensor(shape: [n, 4], scalars: x), targets = Tensor(shape: [n, 1], scalars: y)
        let model = Sequential(inputShape: [4]) { Dense(16, activation: .tanh, seed: 3); Dense(1, seed: 4) }
        try model.compile(optimizer: Adam(learningRate: 0.02), loss: .meanSquaredError)
        _ = try model.fit(x: features, y: targets, epochs: 30, batchSize: 32, verbose: .silent, seed: 1)
        let result = try PermutationImportance.compute(predict: { try model.predict($0, batchSize: 1024) }, x: features,
                                                       score: PredictionScore.r2(targets: y), names: ["x0", "x1", "x2", "noise"],
                                                       repeats: 8, seed: 2)
        print("permutation importance: baseline R² \(result.baseline); " + result.ranked.map { "\($0.name) \($0.mean) ± \($0.upper - $0.mean)" }.joined(separator: ", "))
        #expect(result.baseline > 0.95)
        #expect(result.ranked.map(\.name) == ["x0", "x1", "x2", "noise"])
        let noise = result.features[3]
        #expect(noise.lower < 0.02 && noise.drops.count == 8)
        #expect(result.features[0].lower > result.features[1].upper)
    }

    /// f = x0² + x1: the partial dependence on x0 is the grid squared plus the mean of x1, and every ICE curve is
    /// that curve shifted by its row's x1.
    @Test func partialDependenceOfAKnownFunction() throws {
        let predict: (Tensor) throws -> Tensor = { x in
            let v = x.scalars
            return Tensor(shape: [x.shape[0], 1], scalars: (0..<x.shape[0]).map { v[$0 * 2] * v[$0 * 2] + v[$0 * 2 + 1] })
        }
        let x = Tensor(shape: [4, 2], scalars: [0, 1, 1, 2, 2, 3, 3, 6])
        let curves = try PartialDependence.compute(predict: predict, x: x, feature: 0)
        #expect(curves.grid == [0, 1, 2, 3], "four distinct values are the grid")
        for (g, v) in curves.grid.enumerated() {
            #expect(abs(curves.average[g][0] - (v * v + 3)) < 1e-5)
            for (r, shift) in [1.0, 2, 3, 6].enumerated() { #expect(abs(curves.individual[r][g][0] - (v * v + shift)) < 1e-5) }
        }
        let many = Tensor(shape: [101, 2], scalars: (0...100).flatMap { [Float($0), 0] })
        let quantiles = try PartialDependence.compute(predict: predict, x: many, feature: 0, points: 10)
        #expect(quantiles.grid.first == 5 && quantiles.grid.last == 95 && quantiles.grid.count == 10)
        #expect(throws: ExplainError.self) { try PartialDependence.compute(predict: predict, x: x, feature: 2) }
    }
}

@Suite("Grad-CAM on MNIST", .serialized)
struct GradCAMTests {
    /// A small CNN trained for one epoch on 6,000 digits: its Grad-CAM mass lies on the digit's strokes far more than
    /// the strokes' share of the image (what a map spread at random would give).
    @Test func gradCAMHighlightsTheDigit() throws {
        #if DEBUG
        print("skipped: needs a release build"); return
        #else
        guard let dir = DatasetLocator.directory(named: "mnist") else { print(DatasetLocator.skipMessage(for: "mnist")); return }
        let train = try MNIST.load(directory: dir, split: .train)
        let test = try MNIST.load(directory: dir, split: .test)
        let model = Sequential(inputShape: [28, 28, 1]) {
            Conv2D(16, kernelSize: 3, padding: .same, activation: .relu, seed: 1)
            MaxPool2D(poolSize: 2)
            Conv2D(32, kernelSize: 3, padding: .same, activation: .relu, seed: 2)
            MaxPool2D(poolSize: 2)
            Flatten()
            Dense(10, activation: .softmax, seed: 3)
        }
        try model.compile(optimizer: Adam(learningRate: 2e-3), loss: .sparseCategoricalCrossentropy(), metrics: ["accuracy"])
        let rows = Array(0..<6000)
        _ = try model.fit(x: train.images.rows(rows).reshaped([-1, 28, 28, 1]), y: train.labels.rows(rows), epochs: 1, batchSize: 64,
                          verbose: .silent, seed: 1)
        let images = test.images.rows(Array(0..<100)).reshaped([-1, 28, 28, 1])
        let labels = test.labels.rows(Array(0..<100)).intScalars
        let result = try GradCAM.explain(model: model, x: images, targets: labels)
        #expect(result.layer == "conv2d_1")
        #expect(result.maps.shape == [100, 28, 28])
        let maps = result.maps.scalars, pixels = images.scalars
        var onDigit = 0.0, total = 0.0, digitShare = 0.0
        for r in 0..<100 {
            var strokes = 0
            for p in 0..<784 {
                let m = Double(maps[r * 784 + p])
                total += m
                if pixels[r * 784 + p] > 0.3 { onDigit += m; strokes += 1 }
            }
            digitShare += Double(strokes) / 784 / 100
        }
        let share = onDigit / total
        print("Grad-CAM: \(Int(share * 100)) % of the attribution lies on the digit's strokes, which cover \(Int(digitShare * 100)) % of the pixels")
        #expect(share > 1.5 * digitShare)
        #endif
    }
}
