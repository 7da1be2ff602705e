import Testing
@testable import KouziRec

@Suite("Rec rating models")
struct RatingModelTests {
    static func allModels() -> [any RatingPredictor] {
        var models: [any RatingPredictor] = [MeanPredictor(.global), MeanPredictor(.user), MeanPredictor(.item),
                                             BaselineOnly(), BaselineOnly(method: .sgd()),
                                             SVD(factors: 8, epochs: 30, learningRate: 0.02), SVDpp(factors: 8, epochs: 30),
                                             NMF(factors: 4, epochs: 60)]
        for variant in [KNN.Variant.basic, .withMeans, .baseline] {
            for measure in [SimilarityMeasure.msd, .cosine, .pearson, .pearsonBaseline(), .adjustedCosine] {
                for userBased in [true, false] {
                    models.append(KNN(variant: variant, k: 10,
                                      similarity: SimilarityOptions(measure: measure, userBased: userBased, shrinkage: 0)))
                }
            }
        }
        return models
    }

    @Test func everyModelLearnsTheTasteGroups() throws {
        let split = try Splitter.ratio(syntheticRatings(), trainFraction: 0.8, seed: 7)
        let global = MeanPredictor(.global)
        try global.fit(split.train)
        let globalRMSE = try global.accuracy(on: split.test).rmse
        for model in Self.allModels() {
            try model.fit(split.train)
            let (rmse, mae) = try model.accuracy(on: split.test)
            #expect(rmse.isFinite && mae.isFinite && mae <= rmse + 1e-9, "\(model.name)")
            if !(model is MeanPredictor) && !(model is BaselineOnly) {
                #expect(rmse < 0.9 * globalRMSE, "\(model.name): RMSE \(rmse) vs global \(globalRMSE)")
            }
        }
    }

    @Test func unknownIdsTakeTheColdPathAndPredictionsStayOnTheScale() throws {
        let data = syntheticRatings()
        for model in Self.allModels() {
            try model.fit(data)
            let cold = model.predict(userID: "nobody", itemID: "i1")
            #expect(cold.kind == .coldUser, "\(model.name)")
            #expect(model.predict(userID: "u1", itemID: "nothing").kind == .coldItem)
            #expect(model.predict(userID: "x", itemID: "y").kind == .coldBoth)
            #expect(model.predict(user: -5, item: 1_000_000).value >= 1)
            for u in 0..<5 { for i in 0..<5 {
                let p = model.predict(user: u, item: i).value
                #expect(p >= 1 && p <= 5)
            } }
        }
    }

    @Test func badParametersAndEmptyDataThrow() {
        let empty = InteractionDataset(users: IdMap(), items: IdMap(), scale: .fiveStar)
        #expect(throws: RecError.empty(what: "training data for SVD")) { try SVD().fit(empty) }
        #expect(throws: RecError.self) { try SVD(factors: 0).fit(syntheticRatings()) }
        #expect(throws: RecError.self) { try KNN(k: 0).fit(syntheticRatings()) }
        #expect(throws: RecError.self) { try BaselineOnly(method: .sgd(epochs: 0)).fit(syntheticRatings()) }
        #expect(SVD().predict(user: 0, item: 0).kind == .coldBoth)   // before fit: defined, no trap
    }

    @Test func similaritiesAreSymmetricAndMatchHandComputedValues() throws {
        // Users a, b share items x (5 vs 3) and y (1 vs 1): MSD = (4 + 0)/2 = 2 → 1/3; cosine = (15+1)/√(26·10).
        let data = try InteractionDataset(interactions: [
            RawInteraction(user: "a", item: "x", value: 5), RawInteraction(user: "a", item: "y", value: 1),
            RawInteraction(user: "b", item: "x", value: 3), RawInteraction(user: "b", item: "y", value: 1),
            RawInteraction(user: "c", item: "z", value: 2),
        ], scale: .fiveStar)
        let msd = KNN(similarity: SimilarityOptions(measure: .msd))
        try msd.fit(data)
        #expect(abs(msd.similarities(0, 1) - 1.0 / 3.0) < 1e-6)
        #expect(msd.similarities(0, 2) == 0 && msd.similarities(1, 1) == 1)
        let cos = KNN(similarity: SimilarityOptions(measure: .cosine))
        try cos.fit(data)
        #expect(abs(Double(cos.similarities(1, 0)) - 16 / (26.0 * 10).squareRoot()) < 1e-6)
        let model = KNN(variant: .basic, k: 40)
        try model.fit(syntheticRatings())
        let s = model.similarities
        for a in 0..<10 { for b in 0..<10 { #expect(abs(s(a, b) - s(b, a)) < 1e-6) } }
    }

    @Test func prunedSimilaritiesKeepTheStrongestNeighbours() throws {
        let data = syntheticRatings()
        let dense = KNN(similarity: SimilarityOptions(measure: .pearson))
        let pruned = KNN(similarity: SimilarityOptions(measure: .pearson, neighborLimit: 5))
        try dense.fit(data); try pruned.fit(data)
        #expect(pruned.similarities.isPruned && !dense.similarities.isPruned)
        for a in 0..<data.users.count {
            let row = (0..<data.users.count).map { dense.similarities(a, $0) }.sorted(by: >)
            var kept = 0
            for b in 0..<data.users.count where pruned.similarities(a, b) != 0 {
                kept += 1
                #expect(pruned.similarities(a, b) == dense.similarities(a, b))
                #expect(pruned.similarities(a, b) >= row[4] - 1e-6)
            }
            #expect(kept <= 5)
        }
        let split = try Splitter.ratio(data, seed: 2)
        let m = KNN(variant: .withMeans, similarity: SimilarityOptions(measure: .pearson, neighborLimit: 10))
        try m.fit(split.train)
        #expect(try m.accuracy(on: split.test).rmse < 1.0)
    }

    @Test func foldInOfANewUserFollowsTheirRatings() throws {
        let data = syntheticRatings(users: 60, items: 30, density: 0.7)
        let svd = SVD(factors: 8, epochs: 40, learningRate: 0.02)
        try svd.fit(data)
        let pp = SVDpp(factors: 8, epochs: 30)
        try pp.fit(data)
        // The new user loves even items and hates odd ones.
        let items = ["i0", "i2", "i4", "i1", "i3", "i5"]
        let ratings = [5.0, 5, 4, 1, 1, 2]
        for folded in [try svd.foldIn(items: items, ratings: ratings)] {
            let even = svd.predict(folded: folded, item: data.items.index(of: "i10")!).value
            let odd = svd.predict(folded: folded, item: data.items.index(of: "i11")!).value
            #expect(even > odd + 1, "even \(even) odd \(odd)")
        }
        let f2 = try pp.foldIn(items: items, ratings: ratings)
        #expect(f2.factors.count == 8)
        #expect(throws: RecError.empty(what: "fold-in history")) { try svd.foldIn(items: [], ratings: []) }
        #expect(throws: RecError.unknownItem("nope")) { try svd.foldIn(items: ["nope"], ratings: [3]) }
        #expect(throws: RecError.self) { try svd.foldIn(items: ["i0"], ratings: [9]) }
        #expect(throws: RecError.notFitted(model: "SVD")) { try SVD().foldIn(items: ["i0"], ratings: [3]) }
    }

    @Test func ratingMetricsFollowTheirDefinitions() {
        #expect(RatingMetrics.rmse(predicted: [1, 2, 3], actual: [1, 2, 5]) == (4.0 / 3).squareRoot())
        #expect(RatingMetrics.mae(predicted: [1, 2, 3], actual: [2, 2, 5]) == 1)
        #expect(RatingMetrics.rmse(predicted: [], actual: []) == 0)
    }

    @Test func crossValidationReportsEveryFold() throws {
        let splits = try Splitter.kFold(syntheticRatings(), folds: 3)
        let r = try CrossValidation.run({ BaselineOnly() }, on: splits)
        #expect(r.rmse.count == 3 && r.mae.count == 3 && r.fitSeconds.count == 3)
        #expect(r.meanRMSE > 0 && r.totalSeconds >= 0)
    }
}
