import Testing
import KouziTensor
import KouziData

@Suite("Splits")
struct SplitTests {
    @Test func partsAreDisjointCompleteAndSeeded() throws {
        let parts = try DataSplit.indices(count: 103, fractions: [0.7, 0.2, 0.1], seed: 5)
        #expect(parts.map(\.count) == [72, 21, 10])
        #expect(Set(parts.flatMap { $0 }) == Set(0..<103))
        #expect(try DataSplit.indices(count: 103, fractions: [0.7, 0.2, 0.1], seed: 5) == parts)
        #expect(try DataSplit.indices(count: 103, fractions: [0.7, 0.2, 0.1], seed: 6) != parts)
    }

    @Test func stratifiedSplitKeepsClassShares() throws {
        let labels = (0..<120).map { $0 < 60 ? 0 : ($0 < 90 ? 1 : 2) }
        let parts = try DataSplit.indices(count: 120, fractions: [0.75, 0.25], seed: 1, stratifyBy: labels)
        #expect(parts.map(\.count) == [90, 30])
        let testCounts = [0, 1, 2].map { c in parts[1].filter { labels[$0] == c }.count }
        #expect(testCounts == [15, 8, 7] || testCounts == [15, 7, 8])
        #expect(Set(parts[0] + parts[1]) == Set(0..<120))
    }

    @Test func manySmallClassesStillGiveExactSizes() throws {
        let labels = (0..<50).map { $0 / 5 }
        let parts = try DataSplit.indices(count: 50, fractions: [0.9, 0.1], seed: 3, stratifyBy: labels)
        #expect(parts.map(\.count) == [45, 5])
        #expect(Set(parts[1].map { labels[$0] }).count == 5)
    }

    @Test func tensorSplitsKeepRowsTogether() throws {
        let x = Tensor(shape: [10, 2], scalars: (0..<20).map(Float.init))
        let y = Tensor(shape: [10], values: (0..<10).map { Int64($0 % 2) })
        let (xTrain, xTest, yTrain, yTest) = try DataSplit.trainTestSplit(x: x, y: y, testFraction: 0.2, seed: 9, stratify: true)
        #expect(xTrain.shape == [8, 2] && xTest.shape == [2, 2])
        #expect(yTest.dtype == .int64 && Set(yTest.intScalars) == [0, 1])
        for (rows, labels) in [(xTrain, yTrain), (xTest, yTest)] {
            let values = rows.scalars
            for i in 0..<labels.shape[0] {
                let index = Int(values[2 * i]) / 2
                #expect(values[2 * i + 1] == values[2 * i] + 1)
                #expect(labels.intScalars[i] == index % 2)
            }
        }
        let three = try DataSplit.trainValidationTestSplit(x: x, y: y, validationFraction: 0.2, testFraction: 0.1, seed: 1)
        #expect([three.train.count, three.validation.count, three.test.count] == [7, 2, 1])
    }

    @Test func tableSplitAndErrors() throws {
        let table = try CSVReader().read(string: "a,label\n" + (0..<20).map { "\($0),\($0 < 10 ? "x" : "y")" }.joined(separator: "\n"))
        let (train, test) = try DataSplit.trainTestSplit(table, testFraction: 0.5, seed: 2, stratifyBy: "label")
        #expect(train.rowCount == 10 && test.rowCount == 10)
        #expect(test["label"]?.textValues.filter { $0 == "x" }.count == 5)
        #expect(throws: PreprocessingError.invalidFractions([0.5, 0.6])) { _ = try DataSplit.indices(count: 10, fractions: [0.5, 0.6], seed: 0) }
        #expect(throws: PreprocessingError.splitTooSmall(part: 1, fraction: 0.01, count: 10)) {
            _ = try DataSplit.indices(count: 10, fractions: [0.99, 0.01], seed: 0)
        }
        #expect(throws: PreprocessingError.rowCountMismatch(xShape: [3, 1], yShape: [2])) {
            _ = try DataSplit.trainTestSplit(x: Tensor(shape: [3, 1], scalars: [1, 2, 3]), y: Tensor([1, 2]))
        }
    }
}
