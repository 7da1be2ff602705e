import Foundation
import Testing
@testable import KouziRec

@Suite("Recommenders frozen for serving")
struct FactorRecommenderTests {
    func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("rec-\(UUID().uuidString)").path
    }

    @Test func anSVDRecommenderMatchesItsModelAndSurvivesSaveAndLoad() throws {
        let data = syntheticRatings()
        let svd = SVD(factors: 8, epochs: 40, seed: 3)
        try svd.fit(data)
        let model = try svd.recommender()
        // Estimates equal the trained model's.
        for (u, i) in [(0, 0), (3, 7), (11, 2)] {
            let expected = svd.predict(user: u, item: i).value
            #expect(abs(model.predict(user: data.users[u], item: data.items[i]) - expected) < 1e-4)
        }
        // Top-N for a user: none of their training items, their own group first.
        let ranking = try model.recommend(user: "u0", k: 5)
        let seen = Set(data.userItemMatrix().range(of: 0).map { data.items[Int(data.userItemMatrix().columns[$0])] })
        #expect(!ranking.coldStart && ranking.items.count == min(5, data.items.count - seen.count))
        #expect(ranking.items.allSatisfy { !seen.contains($0.item) })
        #expect(ranking.items.prefix(3).allSatisfy { Int($0.item.dropFirst())! % 2 == 0 }, "\(ranking.items.map(\.item))")
        #expect(try model.recommend(user: "u0", k: 50, excludeSeen: false).items.count == data.items.count)
        #expect(try !model.recommend(user: "u0", k: 5, exclude: [ranking.items[0].item]).items.contains(ranking.items[0]))

        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var saved = model
        saved.metrics = ["rmse": 0.9]
        try saved.save(to: directory)
        #expect(FactorRecommender.isSaved(in: directory))
        let loaded = try FactorRecommender.load(from: directory)
        #expect(try loaded.recommend(user: "u0", k: 5) == ranking && loaded.metrics == ["rmse": 0.9])
        #expect(abs(loaded.predict(user: "u3", item: "i7") - model.predict(user: "u3", item: "i7")) < 1e-6)
    }

    @Test func coldUsersNewHistoriesAndSimilarItems() throws {
        let data = syntheticEvents()
        let als = ImplicitALS(factors: 8, iterations: 10, seed: 4)
        try als.fit(data)
        let model = try als.recommender()
        // Same ranking as the trained model's own top-N.
        #expect(try model.recommend(user: "u5", k: 5).items.map(\.item) == als.recommend(userID: "u5", k: 5).map(\.item))
        // An unknown user gets popularity, flagged as cold.
        let cold = try model.recommend(user: "nobody", k: 3)
        #expect(cold.coldStart && cold.items.count == 3 && cold.items[0].score >= cold.items[1].score && cold.items[1].score >= cold.items[2].score)
        // A new user who saw odd items gets odd items back, none of those they saw.
        let fresh = try model.recommend(history: ["i1", "i3", "i5", "unknown"], k: 4)
        #expect(!fresh.coldStart && fresh.items.allSatisfy { Int($0.item.dropFirst())! % 2 == 1 && !["i1", "i3", "i5"].contains($0.item) },
                "\(fresh.items.map(\.item))")
        #expect(try model.recommend(history: ["nothing known"], k: 2).coldStart)
        // Similar items: the same group, never the item itself.
        let similar = try model.similarItems(to: "i2", k: 5)
        #expect(similar.count == 5 && similar.allSatisfy { Int($0.item.dropFirst())! % 2 == 0 && $0.item != "i2" }, "\(similar.map(\.item))")
        #expect(throws: RecError.unknownItem("zz")) { try model.similarItems(to: "zz", k: 3) }
        #expect(throws: RecError.self) { try model.recommend(user: "u1", k: 0) }

        let bpr = BPR(factors: 8, epochs: 30, seed: 5)
        try bpr.fit(data)
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try bpr.recommender().save(to: directory)
        #expect(try FactorRecommender.load(from: directory).recommend(user: "u7", k: 5).items.map(\.item)
                == bpr.recommend(userID: "u7", k: 5).map(\.item))
    }

    @Test func ratingsOutsideTheScaleAndDamagedFilesAreExplained() throws {
        let svd = SVD(factors: 4, epochs: 5, seed: 1)
        try svd.fit(syntheticRatings(users: 10, items: 10))
        let model = try svd.recommender()
        #expect(throws: RecError.self) { try model.recommend(history: ["i1"], ratings: [9], k: 3) }
        #expect(throws: RecError.self) { try model.recommend(history: ["i1", "i2"], ratings: [4], k: 3) }
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try model.save(to: directory)
        try Data("{\"format\": 1}".utf8).write(to: URL(fileURLWithPath: directory + "/recommender.json"))
        do {
            _ = try FactorRecommender.load(from: directory)
            Issue.record("a damaged manifest loaded")
        } catch let error as RecError {
            #expect(error.description.contains("recommender.json"))
        }
        #expect(throws: RecError.self) { try FactorRecommender.load(from: directory + "-missing") }
    }
}
