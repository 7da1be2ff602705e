import KouziTensor
import KouziTestSupport
import Testing

/// Index tensors from Int64 literals.
func indexTensor(_ shape: [Int], _ values: [Int64]) -> Tensor { Tensor(shape: shape, values: values) }

@Suite("takeAlongAxis, scatter and scatterAdd")
struct ScatterTests {
    /// PyTorch's documented example: `torch.zeros(3, 5).scatter_(0, index, src)`.
    @Test func scatterAlongTheFirstAxisReadsTheLeadingBlockOfValues() {
        let src = Tensor.arange(1, 11).reshaped([2, 5])
        let out = Tensor.zeros([3, 5]).scatter(axis: 0, indices: indexTensor([1, 4], [0, 1, 2, 0]), values: src)
        #expect(out.scalars == [1, 0, 0, 4, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0])
    }

    @Test func scatterAlongTheLastAxis() {
        let src = Tensor.arange(1, 11).reshaped([2, 5])
        let idx = indexTensor([2, 3], [0, 1, 2, 0, 1, 4])
        let out = Tensor.zeros([3, 5]).scatter(axis: -1, indices: idx, values: src)
        #expect(out.scalars == [1, 2, 3, 0, 0, 6, 7, 0, 0, 8, 0, 0, 0, 0, 0])
    }

    @Test func duplicatesLastWriteWinsOrSum() {
        let base = Tensor([9, 9, 9, 9, 9]), idx = indexTensor([3], [1, 3, 1]), values = Tensor([10, 20, 30])
        #expect(base.scatter(axis: 0, indices: idx, values: values).scalars == [9, 30, 9, 20, 9])
        #expect(base.scatterAdd(axis: 0, indices: idx, values: values).scalars == [9, 49, 9, 29, 9])
        // Only the surviving write receives a gradient; the replaced entries of the base receive none.
        var b = base, v = values
        b.requiresGrad = true; v.requiresGrad = true
        b.scatter(axis: 0, indices: idx, values: v).backward(Tensor([1, 2, 3, 4, 5]))
        #expect(b.grad!.scalars == [1, 0, 3, 0, 5])
        #expect(v.grad!.scalars == [0, 4, 2])
    }

    @Test func integerTensors() {
        let base = Tensor(shape: [2, 2], values: [Int64(1), 2, 3, 4])
        let values = Tensor(shape: [2, 1], values: [Int64(10), 20])
        let idx = indexTensor([2, 1], [1, 0])
        #expect(base.scatterAdd(axis: 1, indices: idx, values: values).intScalars == [1, 12, 23, 4])
        #expect(base.scatter(axis: 1, indices: idx, values: values).intScalars == [1, 10, 20, 4])
        #expect(base.takeAlongAxis(idx, axis: 1).intScalars == [2, 3])
    }

    @Test func takeAlongAxisPicksPerLine() {
        let x = Tensor([[10, 11, 12], [20, 21, 22]])
        #expect(x.takeAlongAxis(indexTensor([2, 2], [2, 0, 1, 1]), axis: 1).scalars == [12, 10, 21, 21])
        #expect(x.takeAlongAxis(indexTensor([1, 3], [1, 0, 1]), axis: 0).scalars == [20, 11, 22])
        #expect(x.takeAlongAxis(indexTensor([2, 0], []), axis: 1).shape == [2, 0])
    }

    @Test func gradients() {
        let idx = indexTensor([2, 3], [0, 2, 0, 1, 1, 3])
        checkGradients([rand([2, 4], 1)]) { $0[0].takeAlongAxis(idx, axis: 1) }
        checkGradients([rand([3, 4], 2), rand([2, 3], 3)]) { $0[0].scatterAdd(axis: 1, indices: idx, values: $0[1]) }
        checkGradients([rand([3, 4], 4), rand([2, 5], 5)]) { $0[0].scatter(axis: 1, indices: idx, values: $0[1]) }
        let along0 = indexTensor([2, 2, 1], [1, 0, 2, 2])
        checkGradients([rand([3, 2, 2], 6), rand([2, 2, 1], 7)]) { $0[0].scatter(axis: 0, indices: along0, values: $0[1]) }
        checkGradients([rand([3, 2, 2], 8), rand([2, 2, 1], 9)]) { $0[0].scatterAdd(axis: -3, indices: along0, values: $0[1]) }
    }

    @Test func validation() throws {
        let x = Tensor.zeros([3, 4])
        try x.validateIndices(indexTensor([2, 2], [0, 3, 1, 2]), alongAxis: 1)
        try x.validateIndices(indexTensor([1, 2], [0, 2]), alongAxis: 0, values: Tensor.zeros([2, 2]))
        #expect(throws: TensorError.indexOutOfRange(operation: "takeAlongAxis", index: 4, size: 4)) {
            try x.validateIndices(indexTensor([1, 1], [4]), alongAxis: 1)
        }
        #expect(throws: TensorError.indexOutOfRange(operation: "scatter", index: -1, size: 3)) {
            try x.validateIndices(indexTensor([1, 1], [-1]), alongAxis: 0, values: Tensor.zeros([1, 1]))
        }
        #expect(throws: TensorError.self) { try x.validateIndices(indexTensor([2], [0, 1]), alongAxis: 0) }
        #expect(throws: TensorError.self) { try x.validateIndices(indexTensor([2, 5], Array(repeating: 0, count: 10)), alongAxis: 0) }
        #expect(throws: TensorError.self) {
            try x.validateIndices(indexTensor([2, 2], [0, 0, 0, 0]), alongAxis: 1, values: Tensor.zeros([2, 1]))
        }
        #expect(throws: TensorError.dtypeMismatch(operation: "scatter values", expected: .float32, got: .int64)) {
            try x.validateIndices(indexTensor([1, 1], [0]), alongAxis: 1, values: indexTensor([1, 1], [0]))
        }
        #expect(throws: TensorError.invalidAxis(axis: 2, rank: 2)) { try x.validateIndices(indexTensor([1, 1], [0]), alongAxis: 2) }
    }
}

@Suite("gatherND")
struct GatherNDTests {
    let matrix = Tensor([[1, 2], [3, 4]])

    /// TensorFlow's documented cases.
    @Test func fullAndPartialCoordinates() {
        #expect(matrix.gatherND(indexTensor([2, 2], [0, 0, 1, 1])).scalars == [1, 4])
        let rows = matrix.gatherND(indexTensor([2, 1], [1, 0]))
        #expect(rows.shape == [2, 2] && rows.scalars == [3, 4, 1, 2])
        let batched = matrix.gatherND(indexTensor([2, 1, 2], [0, 1, 1, 0]))
        #expect(batched.shape == [2, 1] && batched.scalars == [2, 3])
    }

    @Test func higherRankAndEmptyCases() {
        let cube = Tensor.arange(0, 24).reshaped([2, 3, 4])
        let picked = cube.gatherND(indexTensor([3, 2], [1, 2, 0, 0, 1, 1]))
        #expect(picked.shape == [3, 4])
        #expect(picked.scalars == [20, 21, 22, 23, 0, 1, 2, 3, 16, 17, 18, 19])
        #expect(cube.gatherND(indexTensor([2, 3], [1, 2, 3, 0, 0, 1])).scalars == [23, 1])
        #expect(cube.gatherND(indexTensor([0, 2], [])).shape == [0, 4])
        let whole = cube.gatherND(indexTensor([2, 0], []))
        #expect(whole.shape == [2, 2, 3, 4] && whole.scalars == cube.scalars + cube.scalars)
        let ids = Tensor(shape: [3], values: [Int64(7), 8, 9])
        #expect(ids.gatherND(indexTensor([2, 1], [2, 0])).intScalars == [9, 7])
    }

    @Test func gradientSumsRepeatedSlices() {
        checkGradients([rand([3, 4], 1)]) { $0[0].gatherND(indexTensor([3, 1], [2, 0, 2])) }
        checkGradients([rand([2, 3, 2], 2)]) { $0[0].gatherND(indexTensor([2, 2, 2], [1, 2, 0, 0, 1, 2, 1, 1])) }
        var x = Tensor.zeros([3])
        x.requiresGrad = true
        x.gatherND(indexTensor([3, 1], [1, 1, 2])).sum().backward()
        #expect(x.grad!.scalars == [0, 2, 1])
    }

    @Test func validation() throws {
        try matrix.validateGatherND(indexTensor([1, 2], [1, 1]))
        #expect(throws: TensorError.indexOutOfRange(operation: "gatherND", index: 2, size: 2)) {
            try matrix.validateGatherND(indexTensor([1, 2], [0, 2]))
        }
        #expect(throws: TensorError.self) { try matrix.validateGatherND(indexTensor([1, 3], [0, 0, 0])) }
        #expect(throws: TensorError.self) { try matrix.validateGatherND(Tensor(shape: [], values: [Int64(0)])) }
    }
}
