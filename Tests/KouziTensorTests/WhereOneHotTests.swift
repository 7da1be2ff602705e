import KouziTensor
import KouziTestSupport
import Testing

@Suite("where and oneHot")
struct WhereOneHotTests {
    /// `where` against an explicit loop over the broadcast shape, for a condition, `a` and `b` that each
    /// broadcast in a different way.
    @Test(arguments: [
        ([2, 3], [3], [Int]()),
        ([3], [2, 1], [1, 3]),
        ([2, 1, 3], [4, 1], [3]),
        ([1], [2, 3], [2, 3]),
        ([2, 3], [2, 3], [2, 3]),
        ([4, 1, 1], [1, 2, 1], [1, 1, 5]),
    ])
    func broadcastsAllThree(_ conditionShape: [Int], _ aShape: [Int], _ bShape: [Int]) {
        let condition = rand(conditionShape, 1).greater(0)
        let a = rand(aShape, 2), b = rand(bShape, 3)
        let shape = [conditionShape, aShape, bShape].reduce([Int]()) { Shape.broadcast($0, $1)! }
        let c = condition.broadcast(to: shape).scalars, x = a.broadcast(to: shape).scalars, y = b.broadcast(to: shape).scalars
        let out = Tensor.where(condition, a, b)
        #expect(out.shape == shape)
        #expect(out.scalars == (0..<c.count).map { c[$0] != 0 ? x[$0] : y[$0] })
        checkGradients([a, b]) { Tensor.where(condition, $0[0], $0[1]) }
    }

    @Test func scalarConveniences() {
        let condition = Tensor([1, 0, 1])
        #expect(Tensor.where(condition, Tensor([5, 6, 7]), 0).scalars == [5, 0, 7])
        #expect(Tensor.where(condition, -1, Tensor([5, 6, 7])).scalars == [-1, 6, -1])
        #expect(Tensor.where(Tensor([[1], [0]]), Tensor([1, 2]), 9).scalars == [1, 2, 9, 9])
        checkGradients([rand([2, 3], 4)]) { Tensor.where(Tensor([0, 1, 1]), $0[0], 0.5) }
        checkGradients([rand([3], 5)]) { Tensor.where(Tensor([[0], [1]]), 2, $0[0]) }
    }

    @Test func integerConditions() {
        let condition = Tensor(shape: [3], values: [Int64(0), 2, -1])
        #expect(Tensor.where(condition, Tensor([1, 2, 3]), Tensor([7, 8, 9])).scalars == [7, 2, 3])
    }

    @Test func oneHotEncodings() {
        let labels = Tensor(shape: [2, 2], values: [Int64(2), 0, 1, 2])
        let encoded = Tensor.oneHot(labels, classes: 3)
        #expect(encoded.shape == [2, 2, 3] && encoded.dtype == .float32)
        #expect(encoded.scalars == [0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1])
        #expect(Tensor.oneHot(Tensor(shape: [2], values: [Int32(1), 0]), classes: 2).scalars == [0, 1, 1, 0])
        #expect(Tensor.oneHot(Tensor([0, 3]), classes: 4).scalars == [1, 0, 0, 0, 0, 0, 0, 1])
        #expect(Tensor.oneHot(Tensor(shape: [0], values: [Int64]()), classes: 5).shape == [0, 5])
        #expect(Tensor.oneHot(Tensor(shape: [], values: [Int64(0)]), classes: 1).scalars == [1])
    }
}
