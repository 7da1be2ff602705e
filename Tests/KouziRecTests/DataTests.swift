import Testing
@testable import KouziRec

@Suite("Rec data")
struct RecDataTests {
    @Test func idMapAssignsDenseIndicesInFirstSeenOrder() {
        var m = IdMap()
        #expect(m.add("b") == 0)
        #expect(m.add("a") == 1)
        #expect(m.add("b") == 0)
        #expect(m.index(of: "a") == 1)
        #expect(m.index(of: "zzz") == nil)
        #expect(m[1] == "a" && m.count == 2)
    }

    @Test func csrBuildsSortedRowsAndTransposes() {
        let m = CSRMatrix(rowCount: 3, columnCount: 4, rows: [2, 0, 0, 2, 1], columns: [1, 3, 0, 0, 2],
                          values: [5, 1, 2, 3, 4])
        #expect(m.rowStart == [0, 2, 3, 5])
        #expect(m.columns == [0, 3, 2, 0, 1])
        #expect(m.values == [2, 1, 4, 3, 5])
        #expect(m.value(row: 2, column: 1) == 5)
        #expect(m.value(row: 1, column: 1) == nil)
        let t = m.transposed()
        #expect(t.rowCount == 4 && t.columnCount == 3)
        for r in 0..<3 { for c in 0..<4 { #expect(m.value(row: r, column: c) == t.value(row: c, column: r)) } }
    }

    @Test func outOfScaleAndNonFiniteRatingsThrowTypedErrors() {
        #expect(throws: RecError.ratingOutOfScale(rating: 6, lower: 1, upper: 5, user: "u", item: "i")) {
            try InteractionDataset(interactions: [RawInteraction(user: "u", item: "i", value: 6)], scale: .fiveStar)
        }
        #expect(throws: RecError.nonFiniteValue(user: "u", item: "i")) {
            try InteractionDataset(interactions: [RawInteraction(user: "u", item: "i", value: .nan)], scale: .fiveStar)
        }
        #expect(throws: RecError.self) { try RatingScale(lower: 5, upper: 1) }
    }

    @Test func kFoldPartitionsEveryInteractionOnce() throws {
        let data = syntheticRatings()
        let folds = try Splitter.kFold(data, folds: 5, seed: 3)
        #expect(folds.count == 5)
        #expect(folds.map(\.test.count).reduce(0, +) == data.count)
        for f in folds { #expect(f.train.count + f.test.count == data.count) }
        var seen = Set<String>()
        for f in folds { for r in 0..<f.test.count { seen.insert("\(f.test.userIndices[r]):\(f.test.itemIndices[r])") } }
        #expect(seen.count == data.count)
        #expect(throws: RecError.self) { try Splitter.kFold(data, folds: 1) }
    }

    @Test func leaveLastOutHoldsOutEachUsersLatestInteraction() throws {
        let data = try InteractionDataset(interactions: [
            RawInteraction(user: "a", item: "x", value: 1, timestamp: 5),
            RawInteraction(user: "a", item: "y", value: 1, timestamp: 9),
            RawInteraction(user: "a", item: "z", value: 1, timestamp: 1),
            RawInteraction(user: "b", item: "x", value: 1, timestamp: 3),
        ], scale: .implicit)
        let s = try Splitter.leaveLastOut(data)
        #expect(s.test.count == 1)
        #expect(s.test.items[Int(s.test.itemIndices[0])] == "y")
        #expect(s.train.count == 3)   // b has a single interaction and stays in train
    }

    @Test func ratioSplitKeepsTheRequestedShare() throws {
        let data = syntheticRatings()
        let s = try Splitter.ratio(data, trainFraction: 0.75, seed: 1)
        #expect(s.train.count == Int((Double(data.count) * 0.75).rounded()))
        #expect(s.train.count + s.test.count == data.count)
        #expect(throws: RecError.self) { try Splitter.ratio(data, trainFraction: 1) }
    }

    @Test func movieLensReaderParsesFilesAndNamesBadLines() throws {
        let dir = "/tmp/kouzi-rec-ml-\(UInt32.random(in: 0...UInt32.max))"
        #expect(mkdirHelper(dir))
        try writeHelper(dir + "/u.data", "1\t10\t4\t100\n2\t10\t3\t200\n1\t20\t5\t300\n")
        try writeHelper(dir + "/u.item", "10|Toy Story (1995)|01-Jan-1995||url|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n"
                        + "20|Mis\u{E9}rables (1998)|01-Jan-1998||url|0|0|0|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0\n")
        try writeHelper(dir + "/u.user", "1|24|M|technician|85711\n2|53|F|other|94043\n")
        let ml = try MovieLens100K.load(directory: dir)
        #expect(ml.ratings.count == 3)
        let toy = ml.ratings.items.index(of: "10")!
        #expect(ml.itemFeatures.titles[toy] == "Toy Story (1995)")
        #expect(ml.itemFeatures.categories[toy] == [3, 4, 5])
        #expect(ml.itemFeatures.years[toy] == 1995)
        #expect(ml.userFeatures.occupations[ml.ratings.users.index(of: "2")!] == "other")
        try writeHelper(dir + "/u.data", "1\t10\t4\t100\n2\t10\tfour\t200\n")
        #expect(throws: RecError.malformedLine(file: dir + "/u.data", line: 2, reason: "rating 'four' is not a number")) {
            try MovieLens100K.load(directory: dir)
        }
        #expect(throws: RecError.self) { try MovieLens100K.load(directory: dir + "/missing") }
    }
}
