import Testing
import KouziTensor
import KouziData

@Suite("Datasets and loaders")
struct DataLoaderTests {
    private let data = try! TensorDataset(x: Tensor(shape: [10, 3], scalars: (0..<30).map(Float.init)),
                                          y: Tensor(shape: [10], values: (0..<10).map(Int64.init)))

    @Test func tensorDatasetValidatesAndGathersRows() throws {
        #expect(TestSupport.errorMessage { _ = try TensorDataset(x: Tensor(shape: [4, 2], scalars: .init(repeating: 0, count: 8)), y: Tensor([1, 2, 3])) }
                == "x of shape [4, 2] and y of shape [3] must have the same first dimension (number of examples)")
        #expect(throws: DatasetError.scalarTensor(name: "x")) { _ = try TensorDataset(x: Tensor(1), y: Tensor([1])) }
        let (x, y) = data.batch(at: [7, 2])
        #expect(x.shape == [2, 3] && x.scalars == [21, 22, 23, 6, 7, 8])
        #expect(y.dtype == .int64 && y.intScalars == [7, 2])
        let example = data[4]
        #expect(example.x.shape == [3] && example.x.scalars == [12, 13, 14])
        #expect(example.y.shape == [] && example.y.intScalars == [4])
        #expect(throws: DatasetError.indexOutOfRange(index: 10, count: 10)) { _ = try data.subset([10]) }
    }

    @Test func sequentialBatchesAndDropLast() throws {
        let loader = try DataLoader(data, batchSize: 4)
        #expect(loader.batchCount == 3)
        #expect(Array(loader).map { $0.y.intScalars } == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
        let dropping = try DataLoader(data, batchSize: 4, dropLast: true)
        #expect(dropping.batchCount == 2)
        #expect(Array(dropping).map { $0.x.shape } == [[4, 3], [4, 3]])
        #expect(throws: DatasetError.invalidBatchSize(0)) { _ = try DataLoader(data, batchSize: 0) }
    }

    @Test func shuffleIsReproducibleAndChangesEachEpoch() throws {
        func epochs(_ loader: DataLoader<TensorDataset>) -> [[Int]] {
            (0..<3).map { _ in loader.flatMap { $0.y.intScalars } }
        }
        let first = epochs(try DataLoader(data, batchSize: 3, shuffle: true, seed: 11))
        let second = epochs(try DataLoader(data, batchSize: 3, shuffle: true, seed: 11))
        #expect(first == second)
        #expect(first.allSatisfy { $0.sorted() == Array(0..<10) })
        #expect(Set(first).count == 3)
        #expect(epochs(try DataLoader(data, batchSize: 3, shuffle: true, seed: 12)) != first)
        let resumed = try DataLoader(data, batchSize: 3, shuffle: true, seed: 11, startEpoch: 2)
        #expect(resumed.flatMap { $0.y.intScalars } == first[2])
        #expect(resumed.epoch == 3)
        #expect(resumed.batches(epoch: 1).map { $0.y.intScalars }.flatMap { $0 } == first[1])
    }

    @Test func xAndYStayAligned() throws {
        let loader = try DataLoader(data, batchSize: 4, shuffle: true, seed: 3)
        for (x, y) in loader {
            let xs = x.scalars
            for (i, label) in y.intScalars.enumerated() { #expect(xs[3 * i] == Float(3 * label)) }
        }
    }
}
