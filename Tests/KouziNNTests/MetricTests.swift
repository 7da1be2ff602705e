import KouziNN
import KouziTensor
import KouziTestSupport
import Testing

@Suite("Metrics")
struct MetricTests {
    @Test func accuracyReadsBinarySparseAndOneHot() throws {
        let a = Accuracy()
        try a.update(predictions: Tensor([0.9, 0.2, 0.6, 0.4]), targets: Tensor([1, 0, 0, 0]))
        #expect(a.result() == 0.75)
        a.reset()
        let p = Tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
        try a.update(predictions: p, targets: Tensor(shape: [3], values: [Int64(1), 0, 0]))
        #expect(Swift.abs(a.result() - 2.0 / 3) < 1e-6)
        a.reset()
        try a.update(predictions: p, targets: Tensor([[0, 1], [1, 0], [0, 1]]))
        #expect(a.result() == 1)
    }

    @Test func precisionRecallF1() throws {
        // TP = 2, FP = 1, FN = 2.
        let p = Tensor([0.9, 0.8, 0.7, 0.1, 0.2, 0.3]), t = Tensor([1, 1, 0, 1, 1, 0])
        let prec = ClassificationScore(.precision), rec = ClassificationScore(.recall), f1 = ClassificationScore(.f1)
        for m in [prec, rec, f1] { try m.update(predictions: p, targets: t) }
        #expect(Swift.abs(prec.result() - 2.0 / 3) < 1e-6)
        #expect(Swift.abs(rec.result() - 0.5) < 1e-6)
        #expect(Swift.abs(f1.result() - 4.0 / 7) < 1e-6)
    }

    @Test func rocAUCByRanks() throws {
        // Classic example: AUC = 0.75.
        let auc = AUC()
        try auc.update(predictions: Tensor([0.1, 0.4, 0.35, 0.8]), targets: Tensor([0, 0, 1, 1]))
        #expect(Swift.abs(auc.result() - 0.75) < 1e-6)
        #expect(AUC.rocAUC(scores: [0.5, 0.5], positives: [true, false]) == 0.5)
    }

    @Test func confusionMatrix() throws {
        let m = try ConfusionMatrix(predicted: [0, 1, 2, 2, 1], actual: [0, 2, 2, 2, 1], classes: 3)
        #expect(m.counts == [[1, 0, 0], [0, 1, 0], [0, 1, 2]])
        #expect(m.falseNegatives(2) == 1 && m.falsePositives(1) == 1)
        #expect(throws: NNError.self) { try ConfusionMatrix(predicted: [3], actual: [0], classes: 3) }
    }

    @Test func regressionMetrics() throws {
        let y = Tensor([3, -0.5, 2, 7]), p = Tensor([2.5, 0.0, 2, 8])
        let mse = RegressionMetric(.mse), mae = RegressionMetric(.mae), r2 = RegressionMetric(.r2)
        for m in [mse, mae, r2] { try m.update(predictions: p, targets: y) }
        #expect(Swift.abs(mse.result() - 0.375) < 1e-6)
        #expect(Swift.abs(mae.result() - 0.5) < 1e-6)
        #expect(Swift.abs(r2.result() - 0.948_608_1) < 1e-5)
    }

    @Test func unknownMetricName() {
        #expect(throws: NNError.self) { try Metrics.named("accuracyy") }
    }
}
