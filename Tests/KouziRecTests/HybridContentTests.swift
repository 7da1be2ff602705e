import Testing
@testable import KouziRec

/// Items i0…i39 with genre "even"/"odd" matching their parity and titles "Alpha n" / "Beta n".
func syntheticItemFeatures(_ items: IdMap) -> ItemFeatures {
    var f = ItemFeatures(count: items.count, featureNames: ["even", "odd"])
    for i in 0..<items.count {
        let n = Int(items[i].dropFirst())!
        f.titles[i] = (n % 2 == 0 ? "Alpha " : "Beta ") + "Story \(n) (1999)"
        f.categories[i] = [n % 2]
    }
    return f
}

@Suite("Rec content and hybrid")
struct HybridContentTests {
    @Test func tfidfVectorsAreNormalisedAndTitlesTokenised() {
        #expect(TFIDFVectorizer.titleTokens("Toy Story (1995)") == ["toy", "story"])
        let v = TFIDFVectorizer(documents: [["a", "b"], ["a"], ["c"]])
        let x = v.transform(["a", "b", "zzz"])
        var norm: Float = 0
        for (_, w) in x { norm += w * w }
        #expect(abs(norm - 1) < 1e-5)
        #expect(x.count == 2)
        #expect(v.idf[v.vocabulary["b"]!] > v.idf[v.vocabulary["a"]!])
    }

    @Test func contentModelRecommendsTheUsersGenreAndScoresColdItems() throws {
        let data = syntheticEvents()
        let model = ContentBasedRecommender(features: syntheticItemFeatures(data.items))
        try model.fit(data)
        let recs = try model.recommend(userID: "u1", k: 5)
        #expect(recs.allSatisfy { Int($0.item.dropFirst())! % 2 == 1 })
        let cold = try model.addItem(id: "i999", title: "Beta Story 999 (2001)", categories: [1])
        let likeOdd = try model.recommend(likedItems: ["i1", "i3"], k: 50)
        #expect(likeOdd.contains { $0.index == cold })
        #expect(throws: RecError.empty(what: "history")) { try model.recommend(likedItems: [], k: 3) }
        #expect(try model.recommend(userID: "new user", k: 3).count == 3)   // popularity fallback
    }

    @Test func hybridsCombineAndSwitch() throws {
        let split = try Splitter.leaveLastOut(syntheticEvents(), holdOut: 2, minimumHistory: 4)
        let content = ContentBasedRecommender(features: syntheticItemFeatures(split.train.items))
        let weighted = try WeightedHybrid([(ImplicitALS(factors: 8, iterations: 5), 1), (content, 1)])
        try weighted.fit(split.train)
        let r = try RankingEvaluator.evaluate(weighted, train: split.train, test: split.test, k: 5)
        #expect(r.auc > 0.6)
        let switching = try SwitchingHybrid(primary: BPR(factors: 8, epochs: 20), fallback: PopularityRanker(), minimumHistory: 3)
        try switching.fit(split.train)
        #expect(try switching.recommend(userID: "stranger", k: 4).count == 4)
        #expect(throws: RecError.self) { try WeightedHybrid([]) }
    }

    @Test func featureFactorizationScoresColdItemsFromTheirFeatures() throws {
        let data = syntheticEvents(users: 60, items: 40, perUser: 12)
        // Hold out items i30…i39 entirely: they are cold.
        let coldItems = Set((30..<40).compactMap { data.items.index(of: "i\($0)") })
        let train = data.subset((0..<data.count).filter { !coldItems.contains(Int(data.itemIndices[$0])) })
        let test = data.subset((0..<data.count).filter { coldItems.contains(Int(data.itemIndices[$0])) })
        let features = syntheticItemFeatures(data.items)
        let itemTokens = (0..<data.items.count).map { features.categories[$0].map { "genre:\($0)" } }
        let hybrid = FeatureFactorization(userFeatures: [], itemFeatures: itemTokens, factors: 8, epochs: 60)
        let cf = BPR(factors: 8, epochs: 30)
        try hybrid.fit(train); try cf.fit(train)
        func onlyCold(_ m: any ItemRanker) throws -> RankingReport {
            try RankingEvaluator.evaluate(itemCount: data.items.count, train: train, test: test, k: 5) { u, s in
                m.scoreItems(user: u, into: s)
                for i in 0..<s.count where !coldItems.contains(i) { s[i] = -.infinity }
            }
        }
        let h = try onlyCold(hybrid), c = try onlyCold(cf)
        #expect(h.auc > 0.75 && h.auc > c.auc + 0.1 && h.ndcg > c.ndcg, "hybrid \(h) vs CF \(c)")
    }
}

@Suite("Rec realtime")
struct RealtimeTests {
    @Test func cuckooTableGivesEveryIdItsOwnRow() throws {
        var table = try CuckooEmbeddingTable(dimension: 4, initialSlots: 16)
        var rows = Set<Int>()
        for id in 0..<5000 as Range<UInt64> { rows.insert(try table.touch(id &* 2_654_435_761)!) }
        #expect(rows.count == 5000 && table.count == 5000)
        for id in 0..<5000 as Range<UInt64> { #expect(table.row(of: id &* 2_654_435_761) != nil) }
        #expect(table.row(of: 12345) == nil)
        #expect(throws: RecError.self) { try table.touch(.max) }
    }

    @Test func frequencyFilterAndExpiry() throws {
        var table = try CuckooEmbeddingTable(dimension: 2, admissionThreshold: 3)
        #expect(try table.touch(7, timestamp: 1) == nil)
        #expect(try table.touch(7, timestamp: 2) == nil)
        #expect(try table.touch(7, timestamp: 3) != nil)
        _ = try table.touch(8, timestamp: 10); _ = try table.touch(8, timestamp: 10); _ = try table.touch(8, timestamp: 10)
        #expect(table.expire(olderThan: 5) == [7])
        #expect(table.row(of: 7) == nil && table.row(of: 8) != nil)
        var small = try CuckooEmbeddingTable(dimension: 2, maxRows: 1)
        _ = try small.touch(1)
        #expect(throws: RecError.tableFull(capacity: 1)) { try small.touch(2) }
        small.remove(1)
        #expect(try small.touch(2) != nil)   // freed row is reused
    }

    @Test func partialFitImprovesTheStreamedUsersRecall() throws {
        let base = syntheticEvents(users: 60, items: 40, perUser: 12, seed: 5)
        let model = try StreamingRecommender(factors: 8, seed: 1)
        // Initial training on users u0…u39.
        let initial = (0..<base.count).filter { Int(base.users[Int(base.userIndices[$0])].dropFirst())! < 40 }
        try model.partialFit(initial.map { raw(base, $0) }, passes: 20)
        // Users u40…u59 arrive: half their events stream in, the other half are held out.
        var stream: [RawInteraction] = [], held: [String: Set<String>] = [:]
        for r in 0..<base.count {
            let user = base.users[Int(base.userIndices[r])]
            guard Int(user.dropFirst())! >= 40 else { continue }
            if r % 2 == 0 { stream.append(raw(base, r)) } else { held[user, default: []].insert(base.items[Int(base.itemIndices[r])]) }
        }
        func recall() throws -> Double {
            var total = 0.0
            for (user, items) in held {
                let recs = try model.recommend(userID: user, k: 10).map(\.item)
                total += Double(Set(recs).intersection(items).count) / Double(items.count)
            }
            return total / Double(held.count)
        }
        let before = try recall()
        try model.partialFit(stream, passes: 20)
        let after = try recall()
        #expect(after > before + 0.1, "recall@10 before \(before) after \(after)")
    }

    func raw(_ d: InteractionDataset, _ r: Int) -> RawInteraction {
        RawInteraction(user: d.users[Int(d.userIndices[r])], item: d.items[Int(d.itemIndices[r])], value: 1, timestamp: d.timestamps[r])
    }
}
