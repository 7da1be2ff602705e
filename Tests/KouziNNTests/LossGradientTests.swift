import KouziNN
import KouziTensor
import KouziTestSupport
import Testing

@Suite("Loss gradient checks")
struct LossGradientTests {
    let targets = rand([4, 3], 7)

    @Test func regressionLosses() throws {
        for loss in [Loss.meanSquaredError, .huber(delta: 0.5)] {
            checkGradients([rand([4, 3], 1)]) { try! loss($0[0], targets) }
        }
        // MAE has a kink where prediction == target: keep them apart.
        checkGradients([targets + awayFromZero([4, 3], 2)]) { try! Loss.meanAbsoluteError($0[0], targets) }
    }

    @Test func binaryCrossEntropy() throws {
        let y = Tensor([[1], [0], [1], [0], [1]])
        checkGradients([rand([5, 1], 3, low: 0.1, high: 0.9)]) { try! Loss.binaryCrossentropy()($0[0], y) }
        checkGradients([rand([5, 1], 4, low: -3, high: 3)]) { try! Loss.binaryCrossentropy(fromLogits: true)($0[0], y) }
    }

    @Test func categoricalCrossEntropies() throws {
        let labels = Tensor(shape: [4], values: [Int64(0), 2, 1, 2])
        let oneHot = Tensor.oneHot(labels, classes: 3)
        let probs = rand([4, 3], 5, low: -1, high: 1).softmax()
        checkGradients([rand([4, 3], 6, low: -2, high: 2)]) { try! Loss.sparseCategoricalCrossentropy(fromLogits: true)($0[0], labels) }
        checkGradients([probs]) { try! Loss.sparseCategoricalCrossentropy()($0[0], labels) }
        checkGradients([rand([4, 3], 8, low: -2, high: 2)]) { try! Loss.categoricalCrossentropy(fromLogits: true)($0[0], oneHot) }
        checkGradients([probs], eps: 1e-3) { try! Loss.categoricalCrossentropy()($0[0], oneHot) }
    }

    @Test func lossErrorsNameTheProblem() {
        let p = Tensor.zeros([3, 4])
        let e1 = #expect(throws: NNError.self) { try Loss.sparseCategoricalCrossentropy()(p, Tensor(shape: [3], values: [Int64(0), 4, 1])) }
        #expect(e1?.description == "label 4 is out of range for 4 classes (expected 0..<4)")
        let e2 = #expect(throws: NNError.self) { try Loss.sparseCategoricalCrossentropy()(p, Tensor([0, 1.5, 2])) }
        #expect(e2?.description.contains("1.5") == true)
        let e3 = #expect(throws: NNError.self) { try Loss.categoricalCrossentropy()(p, Tensor.zeros([3, 5])) }
        #expect(e3?.description.contains("[3, 4]") == true && e3?.description.contains("[3, 5]") == true)
        #expect(throws: NNError.self) { try Loss(named: "hinge-ish") }
    }
}
