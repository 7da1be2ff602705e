import KouziTensor
import KouziTestSupport
import Testing

@Suite("topk, sorted and argsort")
struct SortingTests {
    func ints(_ t: Tensor) -> [Int] { t.intScalars }

    @Test func topkPicksTheLargestWithTiesToTheLowerPosition() {
        let (values, indices) = Tensor([1, 3, 2, 3, 0]).topk(2)
        #expect(values.scalars == [3, 3])
        #expect(ints(indices) == [1, 3])
        #expect(indices.dtype == .int64 && indices.shape == [2])
        let smallest = Tensor([1, 3, 2, 3, 0]).topk(2, largest: false)
        #expect(smallest.values.scalars == [0, 1] && ints(smallest.indices) == [4, 0])
    }

    @Test func unsortedTopkKeepsThePositionsInOrder() {
        let x = Tensor([3, 1, 4, 2, 5])
        #expect(ints(x.topk(3).indices) == [4, 2, 0])
        let (values, indices) = x.topk(3, sorted: false)
        #expect(ints(indices) == [0, 2, 4] && values.scalars == [3, 4, 5])
    }

    @Test func topkAlongTheFirstAndNegativeAxes() {
        let x = Tensor([[1, 5], [4, 2], [3, 6]])
        let (values, indices) = x.topk(2, axis: 0)
        #expect(values.shape == [2, 2] && values.scalars == [4, 6, 3, 5])
        #expect(ints(indices) == [1, 2, 2, 0])
        let last = x.topk(1, axis: -1)
        #expect(last.values.scalars == [5, 4, 6] && ints(last.indices) == [1, 0, 1])
        let three = rand([2, 3, 4], 5)
        #expect(three.topk(2, axis: -2).values.scalars == three.topk(2, axis: 1).values.scalars)
    }

    @Test func edgeValuesOfK() {
        let x = rand([3, 5], 1)
        let none = x.topk(0)
        #expect(none.values.shape == [3, 0] && none.indices.shape == [3, 0])
        let all = x.topk(5)
        #expect(all.values.scalars == x.sorted(descending: true).scalars)
        #expect(ints(all.indices) == ints(x.argsort(descending: true)))
        let single = Tensor(shape: [4, 1], scalars: [2, 7, 1, 8]).topk(1)
        #expect(single.values.scalars == [2, 7, 1, 8] && ints(single.indices) == [0, 0, 0, 0])
        #expect(Tensor.zeros([0, 4]).topk(2).values.shape == [0, 2])
    }

    /// Small k on long lines runs a bounded heap; it must agree with a full stable sort, ties included.
    @Test func heapSelectionAgreesWithFullSort() {
        var g = SeededGenerator(seed: 3)
        let values = (0..<(4 * 300)).map { _ in Float(g.next() % 7) }
        let x = Tensor(shape: [4, 300], scalars: values)
        for largest in [true, false] {
            let (top, idx) = x.topk(5, largest: largest)
            let order = x.argsort(descending: largest).slice(axis: 1, 0..<5)
            #expect(ints(idx) == ints(order))
            #expect(top.scalars == x.sorted(descending: largest).slice(axis: 1, 0..<5).scalars)
        }
    }

    @Test func nanCountsAsTheLargest() {
        let x = Tensor([1, .nan, 3])
        #expect(ints(x.topk(1).indices) == [1])
        #expect(ints(x.argsort()) == [0, 2, 1])
        #expect(ints(x.argsort(descending: true)) == [1, 2, 0])
        #expect(ints(x.topk(1, largest: false).indices) == [0])
    }

    @Test func argsortIsStable() {
        let x = Tensor([2, 1, 2, 1])
        #expect(ints(x.argsort()) == [1, 3, 0, 2])
        #expect(ints(x.argsort(descending: true)) == [0, 2, 1, 3])
        let columns = Tensor([[3, 1], [1, 1], [2, 0]])
        #expect(ints(columns.argsort(axis: 0)) == [1, 2, 2, 0, 0, 1])
        #expect(columns.sorted(axis: 0).scalars == [1, 0, 2, 1, 3, 1])
    }

    @Test func integerTensors() {
        let x = Tensor(shape: [5], values: [Int64(40), -3, 7, 1 << 40, 7])
        let (values, indices) = x.topk(2)
        #expect(values.dtype == .int64 && values.intScalars == [1 << 40, 40])
        #expect(ints(indices) == [3, 0])
        #expect(x.sorted().intScalars == [-3, 7, 7, 40, 1 << 40])
        #expect(ints(Tensor(shape: [3], values: [Int32(5), 2, 9]).argsort()) == [1, 0, 2])
    }

    @Test func sortedValues() {
        #expect(Tensor([3, -1, 2]).sorted().scalars == [-1, 2, 3])
        #expect(Tensor([3, -1, 2]).sorted(descending: true).scalars == [3, 2, -1])
        #expect(Tensor.zeros([2, 0]).sorted().shape == [2, 0])
    }

    /// Entries spaced further apart than the finite-difference step, so the order never changes.
    static let spaced = Tensor(shape: [2, 4], scalars: [0.3, -0.5, 0.9, 0.1, -0.2, 0.6, -0.8, 0.0])

    @Test func gradientsFlowThroughTheSelection() {
        checkGradients([SortingTests.spaced]) { $0[0].topk(2).values }
        checkGradients([SortingTests.spaced]) { $0[0].topk(1, axis: 0, largest: false).values }
        checkGradients([SortingTests.spaced]) { $0[0].topk(2, sorted: false).values }
        checkGradients([SortingTests.spaced]) { $0[0].sorted() }
        checkGradients([SortingTests.spaced]) { $0[0].sorted(axis: 0, descending: true) }
    }

    @Test func topkValidation() throws {
        let x = rand([2, 6], 1)
        try x.validateTopK(6)
        try x.validateTopK(0, axis: 0)
        #expect(throws: TensorError.self) { try x.validateTopK(7) }
        #expect(throws: TensorError.self) { try x.validateTopK(-1) }
        #expect(throws: TensorError.invalidAxis(axis: 2, rank: 2)) { try x.validateTopK(1, axis: 2) }
    }
}
