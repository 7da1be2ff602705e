import KouziTestSupport
import KouziTensor
import Testing

@Suite("Tensor basics")
struct TensorTests {
    @Test func creation() {
        #expect(Tensor.zeros([2, 3]).scalars == [0, 0, 0, 0, 0, 0])
        #expect(Tensor.ones([2]).scalars == [1, 1])
        #expect(Tensor.full([2, 2], 7).scalars == [7, 7, 7, 7])
        #expect(Tensor.arange(0, 5).scalars == [0, 1, 2, 3, 4])
        #expect(Tensor.arange(1, 2, step: 0.25).scalars == [1, 1.25, 1.5, 1.75])
        #expect(Tensor.range(3).dtype == .int64)
        #expect(Tensor([[1, 2], [3, 4]]).shape == [2, 2])
        #expect(Tensor(5).rank == 0)
        #expect(throws: TensorError.self) { try Tensor(validatingShape: [2, 2], scalars: [1, 2, 3]) }
    }

    @Test func seededRandomIsReproducible() {
        let a = Tensor.randomNormal([100], seed: 42), b = Tensor.randomNormal([100], seed: 42)
        #expect(a.scalars == b.scalars)
        #expect(a.scalars != Tensor.randomNormal([100], seed: 43).scalars)
        let n = Tensor.randomNormal([20000], mean: 2, std: 3, seed: 1)
        #expect(Swift.abs(n.mean().item - 2) < 0.1)
        #expect(Swift.abs(n.standardDeviation().item - 3) < 0.1)
        let u = Tensor.randomUniform([20000], low: -1, high: 1, seed: 1)
        #expect(u.max().item < 1 && u.min().item >= -1)
    }

    @Test func copyOnWrite() {
        let a = Tensor([1, 2, 3])
        var b = a
        #expect(a.sharesStorage(with: b))
        b.withUnsafeMutableFloats { $0[0] = 10 }
        #expect(a.scalars == [1, 2, 3])
        #expect(b.scalars == [10, 2, 3])
        #expect(!a.sharesStorage(with: b))
    }

    @Test func broadcastingArithmetic() {
        let a = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect((a + Tensor([10, 20, 30])).scalars == [11, 22, 33, 14, 25, 36])
        #expect((a * Tensor([[2], [3]])).scalars == [2, 4, 6, 12, 15, 18])
        #expect((a - 1).scalars == [0, 1, 2, 3, 4, 5])
        #expect((2 / Tensor([1, 4])).scalars == [2, 0.5])
        #expect(Tensor.maximum(a, Tensor(3.5)).scalars == [3.5, 3.5, 3.5, 4, 5, 6])
        #expect(Shape.broadcast([2, 1, 3], [4, 1]) == [2, 4, 3])
        #expect(Shape.broadcast([2, 3], [4]) == nil)
    }

    @Test func unaryValues() {
        let x = Tensor([-2, -0.5, 0, 0.5, 2])
        expectClose(x.exp().scalars, [0.135_335_28, 0.606_530_66, 1, 1.648_721_3, 7.389_056])
        expectClose(x.sigmoid().scalars, [0.119_202_92, 0.377_540_67, 0.5, 0.622_459_3, 0.880_797_1])
        expectClose(x.tanh().scalars, [-0.964_027_6, -0.462_117_16, 0, 0.462_117_16, 0.964_027_6])
        expectClose(x.gelu().scalars, [-0.045_500_26, -0.154_268_5, 0, 0.345_731_5, 1.954_499_8])
        expectClose(x.relu().scalars, [0, 0, 0, 0.5, 2])
        expectClose(x.leakyRelu(slope: 0.1).scalars, [-0.2, -0.05, 0, 0.5, 2])
        expectClose(x.abs().scalars, [2, 0.5, 0, 0.5, 2])
        expectClose(x.clamped(min: -1, max: 1).scalars, [-1, -0.5, 0, 0.5, 1])
        expectClose(Tensor([1, 4, 9]).sqrt().scalars, [1, 2, 3])
        expectClose(Tensor([1, 2.718_281_8]).log().scalars, [0, 1])
        expectClose(Tensor([2, 3]).pow(Tensor([3, 2])).scalars, [8, 9])
        expectClose(x.softplus().scalars, [0.126_928_01, 0.474_076_97, 0.693_147_2, 0.974_077, 2.126_928])
    }

    @Test func vectorExpAccuracy() {
        // The polynomial exp must stay within a few ulp of the libm value over the float range.
        var worst: Float = 0
        var x: Float = -87
        while x < 88 {
            let t = Tensor([x]).exp().item, ref = Float(Foundation_exp(Double(x)))
            worst = Swift.max(worst, Swift.abs(t - ref) / ref)
            x += 0.137
        }
        #expect(worst < 5e-7)
        #expect(Tensor([-200, 200]).exp().scalars == [0, .infinity])
    }

    @Test func reductionsAndArgmax() {
        let a = Tensor([[1, 5, 3], [4, 2, 6]])
        #expect(a.sum().item == 21)
        #expect(a.sum(axis: 0).scalars == [5, 7, 9])
        #expect(a.sum(axis: 1, keepDims: true).shape == [2, 1])
        #expect(a.mean(axis: 1).scalars == [3, 4])
        #expect(a.max(axis: 1).scalars == [5, 6])
        #expect(a.min(axis: 0).scalars == [1, 2, 3])
        #expect(a.argmax(axis: 1).intScalars == [1, 2])
        #expect(a.argmin(axis: 0).intScalars == [0, 1, 0])
        #expect(a.argmax(axis: 1).dtype == .int64)
        expectClose(a.variance(axes: [1]).scalars, [8.0 / 3, 8.0 / 3])
        expectClose(a.variance(axes: [1], correction: 1).scalars, [4, 4])
    }

    @Test func shapeOps() {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(a.transposed().scalars == [1, 4, 2, 5, 3, 6])
        #expect(a.reshaped([3, -1]).shape == [3, 2])
        #expect(a.slice(axis: 1, 1..<3).scalars == [2, 3, 5, 6])
        #expect(Tensor.concatenate([a, a], axis: 0).shape == [4, 3])
        #expect(Tensor.concatenate([a, a], axis: 1).scalars == [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6])
        #expect(Tensor.stack([a, a], axis: 0).shape == [2, 2, 3])
        #expect(a.rows([1, 1, 0]).scalars == [4, 5, 6, 4, 5, 6, 1, 2, 3])
        let b = Tensor.arange(0, 24).reshaped([2, 3, 4])
        #expect(b.permuted([2, 0, 1]).shape == [4, 2, 3])
        #expect(b.permuted([2, 0, 1])[index: 3, 1, 2] == b[index: 1, 2, 3])
        #expect(Tensor([1, 2]).broadcast(to: [2, 2]).scalars == [1, 2, 1, 2])
        #expect(Tensor.resolveReshape([-1, 5], count: 12) == nil)
    }

    @Test func comparisonsAndWhere() {
        let a = Tensor([1, 2, 3]), b = Tensor([3, 2, 1])
        #expect(a.less(b).scalars == [1, 0, 0])
        #expect(a.equal(b).scalars == [0, 1, 0])
        #expect(a.greaterEqual(b).scalars == [0, 1, 1])
        #expect(Tensor.where(a.greater(b), a, b).scalars == [3, 2, 3])
        #expect(Tensor.where(Tensor([1, 0]), Tensor([Float.infinity, 1]), Tensor([0, 2])).scalars == [.infinity, 2])
    }

    @Test func matmulValues() {
        let a = Tensor([[1, 2], [3, 4]]), b = Tensor([[5, 6], [7, 8]])
        #expect(a.matmul(b).scalars == [19, 22, 43, 50])
        let batch = Tensor.stack([a, b])
        #expect(batch.matmul(Tensor([[1, 0], [0, 1]])).scalars == batch.scalars)
        #expect(batch.matmul(batch).scalars == [7, 10, 15, 22, 67, 78, 91, 106])
        #expect(Tensor([[1, 2]]).matmul(b).scalars == [19, 22])
        #expect(Tensor.linear(a, weight: b, bias: Tensor([1, -1])).scalars == [20, 21, 44, 49])
    }

    @Test func softmaxValues() {
        let s = Tensor([[1, 2, 3], [1000, 1000, 1000]]).softmax()
        expectClose(s.scalars, [0.090_030_57, 0.244_728_47, 0.665_240_94, 1.0 / 3, 1.0 / 3, 1.0 / 3])
        expectClose(Tensor([[1, 2, 3]]).logSoftmax().scalars, [-2.407_605_9, -1.407_605_9, -0.407_605_9])
    }

    @Test func integerTensors() {
        let labels = Tensor(shape: [3], values: [Int64(2), 0, 1])
        #expect(labels.dtype == .int64)
        #expect(labels.intScalars == [2, 0, 1])
        #expect(labels.cast(to: .float32).scalars == [2, 0, 1])
        #expect(labels.cast(to: .int32).dtype == .int32)
        #expect(Tensor.oneHot(labels, classes: 3).scalars == [0, 0, 1, 1, 0, 0, 0, 1, 0])
        #expect(throws: TensorError.self) { try Tensor.zeros([3, 2]).validateIndices(labels, axis: 1) }
    }

    @Test func deviceAbstraction() {
        let t = Tensor.ones([2])
        #expect(t.device == .cpu)
        #expect(Device.cpu.isAvailable)
        #expect(!Device.cuda(0).isAvailable)
        #expect(t.to(.cpu).scalars == [1, 1])
    }
}

#if canImport(Glibc)
import Glibc
func Foundation_exp(_ x: Double) -> Double { Glibc.exp(x) }
#else
import Darwin
func Foundation_exp(_ x: Double) -> Double { Darwin.exp(x) }
#endif
