import KouziTensor
import Testing
@testable import KouziRec

@Suite("Rec deep models")
struct DeepModelTests {
    @Test func growableEmbeddingKeepsLearnedRows() throws {
        let table = try GrowableEmbedding(rows: 4, width: 3, seed: 1)
        let before = table.table.scalars
        #expect(Array(before[0..<3]) == [0, 0, 0])   // padding row
        table.grow(to: 10)
        #expect(table.rows == 10)
        #expect(Array(table.table.scalars[0..<12]) == before)
        let out = try table(Tensor(shape: [2], values: [Int64(9), 1]))
        #expect(out.shape == [2, 3])
        #expect(throws: RecError.self) { try GrowableEmbedding(rows: 0, width: 3) }
    }

    static func groupFeatures(_ data: InteractionDataset) -> (users: [[String]], items: [[String]]) {
        (data.users.ids.map { ["parity:\(Int($0.dropFirst())! % 2)"] }, data.items.ids.map { ["kind:\(Int($0.dropFirst())! % 2)"] })
    }

    @Test(arguments: [DeepCTRModel.Architecture.wideAndDeep, .deepFM])
    func ctrModelsLearnTheTasteGroups(_ architecture: DeepCTRModel.Architecture) throws {
        let data = syntheticEvents(users: 60, items: 20, perUser: 6)
        let split = try Splitter.leaveLastOut(data, holdOut: 2, minimumHistory: 4)
        let f = Self.groupFeatures(data)
        let pop = PopularityRanker()
        try pop.fit(split.train)
        let base = try RankingEvaluator.evaluate(pop, train: split.train, test: split.test, k: 5)
        let model = DeepCTRModel(architecture, userFeatures: f.users, itemFeatures: f.items, embeddingSize: 8,
                                 hidden: [16], epochs: 8, batchSize: 32, learningRate: 0.01)
        try model.fit(split.train)
        let r = try RankingEvaluator.evaluate(model, train: split.train, test: split.test, k: 5)
        print("\(model.name): \(r)\npopularity: \(base)")
        #expect(r.auc > 0.7 && r.auc > base.auc && r.ndcg > base.ndcg, "\(model.name): \(r) vs popularity \(base)")
        // Tables grow for a new user, who is scored through the side-feature tokens.
        let size = model.vocabularySize
        model.register(userFeatures: ["parity:1"], userID: "brand-new")
        #expect(model.vocabularySize == size + 1)
        #expect(try model.recommend(userID: "brand-new", k: 3).count == 3)
    }

    @Test func twoTowerRetrievesTheUsersGroup() throws {
        let data = syntheticEvents(users: 30, items: 20, perUser: 6)
        let split = try Splitter.leaveLastOut(data, holdOut: 2, minimumHistory: 4)
        let f = Self.groupFeatures(data)
        let model = TwoTowerModel(userFeatures: f.users, itemFeatures: f.items, embeddingSize: 8, outputSize: 8,
                                  epochs: 30, batchSize: 16, learningRate: 0.01)
        try model.fit(split.train)
        let r = try RankingEvaluator.evaluate(model, train: split.train, test: split.test, k: 5)
        #expect(r.auc > 0.75, "\(r)")
        #expect(throws: RecError.self) { try TwoTowerModel(batchSize: 1).fit(split.train) }
    }
}
