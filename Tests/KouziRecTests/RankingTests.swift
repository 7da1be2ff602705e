import Testing
@testable import KouziRec

@Suite("Rec ranking")
struct RankingTests {
    @Test func rankingMetricsMatchHandComputedValues() throws {
        // 1 user, 5 items; item 0 seen in training; held out: items 2 and 4.
        let users = IdMap(["u"]), items = IdMap(["a", "b", "c", "d", "e"])
        var train = InteractionDataset(users: users, items: items, scale: .implicit)
        train.appendIndexed(user: 0, item: 0, value: 1, timestamp: 0)
        var test = InteractionDataset(users: users, items: items, scale: .implicit)
        test.appendIndexed(user: 0, item: 2, value: 1, timestamp: 1)
        test.appendIndexed(user: 0, item: 4, value: 1, timestamp: 1)
        // Scores rank candidates b(1) > c(2) > d(3) > e(4).
        let scoresByItem: [Float] = [9, 4, 3, 2, 1]
        let r = try RankingEvaluator.evaluate(itemCount: 5, train: train, test: test, k: 2) { _, s in
            for i in 0..<5 { s[i] = scoresByItem[i] }
        }
        let log2of3 = 1.5849625007211563
        #expect(abs(r.precision - 0.5) < 1e-12)          // c in top 2
        #expect(abs(r.recall - 0.5) < 1e-12)
        #expect(abs(r.hitRate - 1) < 1e-12)
        #expect(abs(r.ndcg - (1 / log2of3) / (1 + 1 / log2of3)) < 1e-12)
        #expect(abs(r.map - (0.5 / 2)) < 1e-12)          // hit at position 2: precision@2 = 1/2, / min(2, 2)
        #expect(abs(r.mrr - 0.5) < 1e-12)
        // AUC: negatives b, d. c beats d (1 of 2), e beats none → 1/4.
        #expect(abs(r.auc - 0.25) < 1e-12)
        #expect(abs(r.coverage - 2.0 / 5.0) < 1e-12)
        #expect(throws: RecError.self) { try RankingEvaluator.evaluate(itemCount: 5, train: train, test: test, k: 0) { _, _ in } }
    }

    @Test func alsAndBPRBeatPopularityOnTasteGroups() throws {
        let split = try Splitter.leaveLastOut(syntheticEvents(), holdOut: 2, minimumHistory: 4)
        let pop = PopularityRanker()
        try pop.fit(split.train)
        let base = try RankingEvaluator.evaluate(pop, train: split.train, test: split.test, k: 5)
        for model in [ImplicitALS(factors: 8, iterations: 10) as any ItemRanker, BPR(factors: 8, epochs: 200, learningRate: 0.05)] {
            try model.fit(split.train)
            let r = try RankingEvaluator.evaluate(model, train: split.train, test: split.test, k: 5)
            #expect(r.auc > base.auc, "\(model.name): \(r) vs \(base)")
            #expect(r.ndcg > base.ndcg, "\(model.name): \(r) vs \(base)")
        }
    }

    @Test func recommendHandlesUnknownUsersAndExcludesSeenItems() throws {
        let data = syntheticEvents()
        let als = ImplicitALS(factors: 8, iterations: 15)
        #expect(throws: RecError.notFitted(model: "ALS")) { try als.recommend(userID: "u1") }
        try als.fit(data)
        let cold = try als.recommend(userID: "stranger", k: 3)
        #expect(cold.count == 3)
        let recs = try als.recommend(userID: "u1", k: 5)
        let u = data.users.index(of: "u1")!
        let seen = Set(als.seenItems.range(of: u).map { Int(als.seenItems.columns[$0]) })
        #expect(recs.allSatisfy { !seen.contains($0.index) })
        #expect(recs.count == 5)
        // Across users, recommendations follow the user's parity group.
        var same = 0, total = 0
        for user in data.users.ids {
            let parity = Int(user.dropFirst())! % 2
            for r in try als.recommend(userID: user, k: 5) { total += 1; if Int(r.item.dropFirst())! % 2 == parity { same += 1 } }
        }
        #expect(Double(same) / Double(total) > 0.7, "\(same) of \(total)")
        #expect(throws: RecError.self) { try als.recommend(userID: "u1", k: 0) }
    }

    @Test func alsFoldInRecommendsTheNewUsersGroup() throws {
        let data = syntheticEvents()
        let als = ImplicitALS(factors: 8, iterations: 10)
        try als.fit(data)
        let folded = try als.foldIn(items: ["i1", "i3", "i5"])
        var scores = [Float](repeating: 0, count: data.items.count)
        scores.withUnsafeMutableBufferPointer { als.scoreItems(vector: folded.factors, into: $0) }
        for i in folded.seen { scores[i] = -.infinity }
        let top = topK(scores, 5)
        #expect(top.filter { Int(data.items[$0].dropFirst())! % 2 == 1 }.count >= 4)
        let bpr = BPR(factors: 8, epochs: 100)
        try bpr.fit(data)
        let fb = try bpr.foldIn(items: ["i1", "i3", "i5"])
        scores.withUnsafeMutableBufferPointer { bpr.scoreItems(vector: fb.factors, into: $0) }
        for i in fb.seen { scores[i] = -.infinity }
        #expect(topK(scores, 5).filter { Int(data.items[$0].dropFirst())! % 2 == 1 }.count >= 4)
        #expect(throws: RecError.empty(what: "fold-in history")) { try als.foldIn(items: []) }
        #expect(throws: RecError.unknownItem("zz")) { try als.foldIn(items: ["zz"]) }
    }

    @Test func negativeEventStrengthIsRejected() throws {
        var data = InteractionDataset(users: IdMap(["u"]), items: IdMap(["i"]), scale: .fiveStar)
        data.appendIndexed(user: 0, item: 0, value: -1, timestamp: 0)
        #expect(throws: RecError.self) { try BPR().fit(data) }
    }
}
