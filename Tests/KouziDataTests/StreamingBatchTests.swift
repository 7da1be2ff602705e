import Testing
import KouziTensor
import KouziData

@Suite("Streaming batches")
struct StreamingBatchTests {
    private func example(_ i: Int) -> Example {
        Example(inputs: [Tensor(shape: [2], scalars: [Float(i), Float(i) + 0.5]), Tensor(shape: [1], values: [Int64(i)])],
                targets: [Tensor(shape: [], values: [Int32(i % 3)])],
                extras: ["weight": Tensor(Float(i) / 10)])
    }

    @Test func batchedStacksEverySlotAlongANewAxis() throws {
        let data = Dataset(count: 5) { example($0) }
        let batches = try data.batched(2).elements()
        #expect(data.batched(2).count == 3 && data.batched(2, dropRemainder: true).count == 2)
        #expect(batches.map(\.count) == [2, 2, 1])
        let first = batches[0]
        #expect(first.inputs[0].shape == [2, 2] && first.inputs[0].scalars == [0, 0.5, 1, 1.5])
        #expect(first.inputs[1].shape == [2, 1] && first.inputs[1].dtype == .int64 && first.inputs[1].intScalars == [0, 1])
        #expect(first.targets[0].shape == [2] && first.targets[0].dtype == .int32)
        #expect(batches[2].targets[0].intScalars == [1])
        #expect(first.extras["weight"]?.shape == [2] && first.extras["weight"]?.scalars == [0, 0.1])
        #expect(try data.batched(2, dropRemainder: true).elements().map(\.count) == [2, 2])
        #expect(try data.batched(5).elements().map(\.count) == [5])
        #expect(TestSupport.errorMessage { _ = try data.batched(0).elements() } == "batch size must be at least 1, got 0")
    }

    @Test func mismatchedExamplesNameTheSlotPositionAndShapes() {
        var odd = example(3)
        odd.inputs[0] = Tensor([1, 2, 3])
        let shapes = Dataset([example(0), example(1), example(2), odd]).batched(4)
        #expect(TestSupport.errorMessage { _ = try shapes.elements() }
                == "cannot batch inputs[0]: example 3 of the batch has shape [3] but example 0 has shape [2] (pad ragged examples with paddedBatch)")
        var retyped = example(1)
        retyped.targets[0] = Tensor(2)
        #expect(TestSupport.errorMessage { _ = try Batch(stacking: [example(0), retyped]) }
                == "cannot batch targets[0]: example 1 of the batch is float32 but example 0 is int32")
        var unlabelled = example(1)
        unlabelled.targets = []
        #expect(TestSupport.errorMessage { _ = try Batch(stacking: [example(0), unlabelled]) }
                == "cannot batch: example 1 of the batch has 0 targets but example 0 has 1")
        var renamed = example(2)
        renamed.extras = ["w": Tensor(1)]
        #expect(TestSupport.errorMessage { _ = try Batch(stacking: [example(0), example(1), renamed]) }
                == "cannot batch: example 2 of the batch has extras [\"w\"] but example 0 has extras [\"weight\"]")
        #expect(throws: DatasetError.emptyBatch) { _ = try Batch(stacking: []) }
    }

    @Test func paddedBatchPadsRaggedSequencesToTheLongest() throws {
        let lengths = [2, 4, 1, 3]
        let sequences = Dataset(count: lengths.count) { i in
            Example(inputs: [Tensor(shape: [lengths[i]], values: (0..<lengths[i]).map { Int32(10 * i + $0 + 1) })],
                    targets: [Tensor(shape: [lengths[i], 2], scalars: .init(repeating: Float(i + 1), count: 2 * lengths[i]))])
        }
        let batches = try sequences.paddedBatch(2, padValue: -1).elements()
        #expect(batches.map { $0.inputs[0].shape } == [[2, 4], [2, 3]])
        #expect(batches[0].inputs[0].dtype == .int32)
        #expect(batches[0].inputs[0].intScalars == [1, 2, -1, -1, 11, 12, 13, 14])
        #expect(batches[1].inputs[0].intScalars == [21, -1, -1, 31, 32, 33])
        #expect(batches[0].targets[0].shape == [2, 4, 2])
        #expect(batches[0].targets[0].scalars == [1, 1, 1, 1, -1, -1, -1, -1] + .init(repeating: 2, count: 8))

        let rounded = try sequences.paddedBatch(4, toMultipleOf: 8).elements()
        #expect(rounded.map { $0.inputs[0].shape } == [[4, 8]])
        #expect(rounded[0].targets[0].shape == [4, 4, 2], "targets are padded to the longest, not rounded")
        #expect(rounded[0].inputs[0].intScalars.prefix(8) == [1, 2, 0, 0, 0, 0, 0, 0])
    }

    @Test func paddingPadsEveryAxisAndChecksRanksAndValues() throws {
        let grid = try Batch(padding: [Example(inputs: [Tensor(shape: [1, 2], scalars: [1, 2])]),
                                       Example(inputs: [Tensor(shape: [2, 1], scalars: [3, 4])])], padValue: 9)
        #expect(grid.inputs[0].shape == [2, 2, 2])
        #expect(grid.inputs[0].scalars == [1, 2, 9, 9, 3, 9, 4, 9])
        #expect(TestSupport.errorMessage {
            _ = try Batch(padding: [Example(inputs: [Tensor([1, 2])]), Example(inputs: [Tensor([[1, 2]])])])
        } == "cannot pad inputs[0]: example 1 of the batch has shape [1, 2] of rank 2 but example 0 has shape [2] of rank 1")
        let ints = [Example(inputs: [Tensor(shape: [1], values: [Int64(1)])])]
        #expect(TestSupport.errorMessage { _ = try Batch(padding: ints, padValue: 0.5) }
                == "pad value 0.5 is not a int64 value, as inputs[0] needs")
        #expect(TestSupport.errorMessage { _ = try Batch(padding: ints, toMultipleOf: 0) }
                == "padding must round lengths up to a multiple of at least 1, got 0")
        let scalars = try Batch(padding: [Example(inputs: [Tensor(1)]), Example(inputs: [Tensor(2)])], toMultipleOf: 4)
        #expect(scalars.inputs[0].shape == [2] && scalars.inputs[0].scalars == [1, 2])
    }

    @Test func bucketsBatchExamplesOfSimilarLength() throws {
        let lengths = [1, 5, 2, 9, 3, 6, 12, 4, 1, 7]
        let sequences = Dataset(count: lengths.count) { i in
            Example(inputs: [Tensor(shape: [lengths[i]], values: [Int32](repeating: Int32(i + 1), count: lengths[i]))],
                    targets: [Tensor(Float(i))])
        }
        let batches = try sequences.bucketed(boundaries: [4, 8], batchSizes: [3, 2, 2]).elements()
        // Buckets: [1, 2, 3] lengths < 4, [5, 6, 4, 7] in 4..<8, [9, 12] from 8.
        #expect(batches.map { $0.targets[0].scalars.map(Int.init) } == [[0, 2, 4], [1, 5], [3, 6], [7, 9], [8]])
        #expect(batches.map { $0.inputs[0].shape } == [[3, 3], [2, 6], [2, 12], [2, 7], [1, 1]])
        #expect(try sequences.bucketed(boundaries: [4, 8], batchSizes: [3, 2, 2], dropRemainder: true).elements().count == 4)
        let custom = try sequences.bucketed(byLength: { _ in 0 }, boundaries: [1], batchSizes: [4, 1], padValue: 0).elements()
        #expect(custom.map(\.count) == [4, 4, 2])
        #expect(TestSupport.errorMessage { _ = try sequences.bucketed(boundaries: [4, 8], batchSizes: [3, 2]).elements() }
                == "bucketing needs one batch size per bucket: 2 boundaries make 3 buckets but 2 batch sizes were given")
        #expect(TestSupport.errorMessage { _ = try sequences.bucketed(boundaries: [8, 4], batchSizes: [3, 2, 1]).elements() }
                == "bucket boundaries must increase strictly, got 8 then 4 in [8, 4]")
        #expect(TestSupport.errorMessage { _ = try sequences.bucketed(boundaries: [4], batchSizes: [3, 0]).elements() }
                == "bucket batch sizes must be at least 1, got 0 in [3, 0]")
    }

    @Test func chunkedGroupsAnyElements() throws {
        #expect(try Dataset(count: 7) { $0 }.chunked(3).elements() == [[0, 1, 2], [3, 4, 5], [6]])
        #expect(try Dataset(count: 7) { $0 }.chunked(3, dropRemainder: true).elements() == [[0, 1, 2], [3, 4, 5]])
        #expect(try Dataset<Int>([]).chunked(3).elements().isEmpty)
    }
}
