import Testing
import KouziTensor
import KouziData

@Suite("Streaming sources")
struct StreamingSourceTests {
    @Test func arraysAndGeneratorsAreReiterable() throws {
        let words = Dataset(["a", "b", "c"])
        #expect(words.count == 3)
        #expect(try words.elements() == ["a", "b", "c"])
        #expect(try words.elements(epoch: 5) == ["a", "b", "c"])

        let squares = Dataset(count: 4) { i in i * i }
        #expect(squares.count == 4)
        #expect(try squares.elements() == [0, 1, 4, 9])
        let iterator = squares.makeIterator(epoch: 0)
        #expect(try iterator.next() == 0)
        #expect(try squares.elements() == [0, 1, 4, 9], "a second pass is independent of one in progress")
        #expect(try iterator.next() == 1)
        #expect(try Dataset(count: -3) { $0 }.elements().isEmpty)
    }

    @Test func customSourcesSeeTheirEpoch() throws {
        let countdown = Dataset<Int>(count: 3) { epoch in
            var n = 3
            return { guard n > 0 else { return nil }; n -= 1; return n + 10 * epoch }
        }
        #expect(try countdown.elements(epoch: 0) == [2, 1, 0])
        #expect(try countdown.elements(epoch: 2) == [22, 21, 20])
        var seen: [Int] = []
        try countdown.forEach { seen.append($0) }
        #expect(seen == [2, 1, 0])
    }

    @Test func iteratorsEndForGoodAndRethrowErrorsOnce() throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "element 2 is broken" } }
        let data = Dataset(count: 5) { i -> Int in
            if i == 2 { throw Broken() }
            return i
        }
        let iterator = data.makeIterator(epoch: 0)
        #expect(try iterator.next() == 0)
        #expect(try iterator.next() == 1)
        #expect(TestSupport.errorMessage { _ = try iterator.next() } == "element 2 is broken")
        #expect(try iterator.next() == nil, "an iterator is finished after an error")
    }

    @Test func tensorSlicesCutEveryTensorAlongTheFirstAxis() throws {
        let x = Tensor(shape: [3, 2], scalars: [0, 1, 2, 3, 4, 5])
        let y = Tensor(shape: [3], values: [Int32(7), 8, 9])
        let w = Tensor([0.5, 1, 2])
        let data = try Dataset.tensorSlices(inputs: [x], targets: [y], extras: ["weight": w])
        #expect(data.count == 3)
        let examples = try data.elements()
        #expect(examples.map { $0.inputs[0].shape } == [[2], [2], [2]])
        #expect(examples[2].inputs[0].scalars == [4, 5])
        #expect(examples[1].targets[0].dtype == .int32 && examples[1].targets[0].shape == [] && examples[1].targets[0].intScalars == [8])
        #expect(examples[0].extras["weight"]?.scalars == [0.5])
    }

    @Test func tensorSlicesCheckFirstDimensions() {
        let x = Tensor(shape: [4, 2], scalars: .init(repeating: 0, count: 8))
        #expect(TestSupport.errorMessage { _ = try Dataset.tensorSlices(inputs: [x], targets: [Tensor([1, 2, 3])]) }
                == "targets[0] of shape [3] has 3 slices but inputs[0] of shape [4, 2] has 4: every tensor must have the same first dimension")
        #expect(TestSupport.errorMessage { _ = try Dataset.tensorSlices(inputs: [x], extras: ["id": Tensor([1])]) }
                == "extras[\"id\"] of shape [1] has 1 slices but inputs[0] of shape [4, 2] has 4: every tensor must have the same first dimension")
        #expect(throws: DatasetError.scalarTensor(name: "inputs[1]")) { _ = try Dataset.tensorSlices(inputs: [x, Tensor(1)]) }
        #expect(throws: DatasetError.invalidArgument("tensorSlices needs at least one tensor")) { _ = try Dataset.tensorSlices(inputs: []) }
    }

    @Test func indexedDataSetsBridgeToExamples() throws {
        let indexed = try TensorDataset(x: Tensor(shape: [3, 2], scalars: [0, 1, 2, 3, 4, 5]),
                                        y: Tensor(shape: [3], values: [Int64(10), 11, 12]))
        let data = Dataset(indexed)
        #expect(data.count == 3)
        let examples = try data.elements()
        #expect(examples.map { $0.inputs[0].scalars } == [[0, 1], [2, 3], [4, 5]])
        #expect(examples.map { $0.targets[0].intScalars } == [[10], [11], [12]])
        #expect(examples.allSatisfy { $0.extras.isEmpty })
    }

    @Test func batchCountsItsExamples() {
        #expect(Batch(x: Tensor(shape: [5, 2], scalars: .init(repeating: 0, count: 10))).count == 5)
        #expect(Batch(inputs: [], targets: [Tensor([1, 2])]).count == 2)
        #expect(Batch(inputs: []).count == 0)
        let batch = Batch(x: Tensor([1, 2, 3]), y: Tensor([4, 5, 6]))
        #expect(batch.inputs.count == 1 && batch.targets.count == 1 && batch.extras.isEmpty)
        #expect(Batch(x: Tensor([1])).targets.isEmpty)
    }
}
