import KouziTensor
import KouziTestSupport
import Testing

@Suite("cumsum")
struct CumulativeSumTests {
    @Test func directionsAndExclusive() {
        let x = Tensor([1, 2, 3, 4])
        #expect(x.cumsum(axis: 0).scalars == [1, 3, 6, 10])
        #expect(x.cumsum(axis: 0, exclusive: true).scalars == [0, 1, 3, 6])
        #expect(x.cumsum(axis: 0, reverse: true).scalars == [10, 9, 7, 4])
        #expect(x.cumsum(axis: -1, exclusive: true, reverse: true).scalars == [9, 7, 4, 0])
    }

    @Test func alongEitherAxisOfAMatrix() {
        let x = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect(x.cumsum(axis: 0).scalars == [1, 2, 3, 5, 7, 9])
        #expect(x.cumsum(axis: 1).scalars == [1, 3, 6, 4, 9, 15])
        #expect(x.cumsum(axis: -2, reverse: true).scalars == [5, 7, 9, 4, 5, 6])
    }

    @Test func emptyAndSizeOneAxes() {
        #expect(Tensor.zeros([2, 0]).cumsum(axis: 1).shape == [2, 0])
        #expect(Tensor.zeros([0, 3]).cumsum(axis: 1).shape == [0, 3])
        #expect(Tensor([[5, 6]]).cumsum(axis: 0, exclusive: true).scalars == [0, 0])
        #expect(Tensor([[5, 6]]).cumsum(axis: 0).scalars == [5, 6])
    }

    @Test func longSumsStayAccurate() {
        let x = Tensor.full([100_000], 0.1)
        #expect(Swift.abs(x.cumsum(axis: 0).scalars.last! - 10_000) < 1e-3)
    }

    @Test func gradients() {
        for exclusive in [false, true] {
            for reverse in [false, true] {
                checkGradients([rand([5], 1)]) { $0[0].cumsum(axis: 0, exclusive: exclusive, reverse: reverse) }
                checkGradients([rand([2, 3, 4], 2)]) { $0[0].cumsum(axis: 1, exclusive: exclusive, reverse: reverse) }
            }
        }
        checkGradients([rand([3, 4], 3)]) { $0[0].cumsum(axis: -1).square() }
    }
}
