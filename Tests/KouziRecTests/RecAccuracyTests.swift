import KouziData
import KouziTestSupport
import Testing
@testable import KouziRec

/// The MovieLens-100K folder for an accuracy run, or nil (after printing why) when it must skip: in a
/// debug build (numeric code is 10–50× slower) or where the data set is absent.
func recAccuracyDataset() -> String? {
    #if DEBUG
    print("skipped: Rec accuracy runs need a release build (swift test -c release)")
    return nil
    #else
    guard let dir = DatasetLocator.directory(named: "movielens-100k") else {
        print(DatasetLocator.skipMessage(for: "movielens-100k"))
        return nil
    }
    return dir
    #endif
}

/// Release-only accuracy runs on MovieLens-100K. Thresholds are the published Surprise benchmark
/// (5-fold CV, default parameters) to the precision it is published at (RMSE ≤ published + 0.0005).
@Suite("Rec accuracy MovieLens-100K", .serialized, .tags(.accuracy), .accuracyRun)
struct RecAccuracyTests {
    @Test("Rec accuracy: 5-fold RMSE at least as good as Surprise", arguments: [
        ("BaselineOnly", 0.944), ("KNNBasic", 0.98), ("KNNWithMeans", 0.951), ("KNNBaseline", 0.931),
        ("SVD", 0.934), ("SVD++", 0.919), ("NMF", 0.963),
    ])
    func fiveFoldRMSE(name: String, published: Double) throws {
        guard let dir = recAccuracyDataset() else { return }
        let ml = try MovieLens100K.load(directory: dir)
        let splits = try Splitter.kFold(ml.ratings, folds: 5, seed: 0)
        let make: () -> any RatingPredictor = switch name {
        case "BaselineOnly": { BaselineOnly() }
        case "KNNBasic": { KNN(variant: .basic) }
        case "KNNWithMeans": { KNN(variant: .withMeans) }
        case "KNNBaseline": { KNN(variant: .baseline) }
        case "SVD": { SVD() }
        case "SVD++": { SVDpp() }
        default: { NMF() }
        }
        let r = try CrossValidation.run(make, on: splits)
        print("\(name): RMSE \(r.meanRMSE) MAE \(r.meanMAE) in \(r.totalSeconds) s")
        #expect(r.meanRMSE <= published + 0.0005, "\(name) RMSE \(r.meanRMSE) vs Surprise \(published)")
        #expect(r.totalSeconds < 30)
    }

    @Test("Rec accuracy: ALS and BPR beat popularity on leave-last-out NDCG@10 and recall@10")
    func implicitBeatsPopularity() throws {
        guard let dir = recAccuracyDataset() else { return }
        let data = try MovieLens100K.load(directory: dir).ratings.asImplicit()
        let split = try Splitter.leaveLastOut(data)
        let pop = PopularityRanker()
        try pop.fit(split.train)
        let base = try RankingEvaluator.evaluate(pop, train: split.train, test: split.test, k: 10)
        for model in [ImplicitALS() as any ItemRanker, BPR()] {
            try model.fit(split.train)
            let r = try RankingEvaluator.evaluate(model, train: split.train, test: split.test, k: 10)
            print("\(model.name): \(r)\npopularity: \(base)")
            #expect(r.ndcg > base.ndcg * 1.3 && r.recall > base.recall * 1.3, "\(model.name) \(r) vs \(base)")
        }
    }

    @Test("Rec accuracy: hybrid beats pure CF for cold items and cold users")
    func hybridBeatsCFWhenCold() throws {
        guard let dir = recAccuracyDataset() else { return }
        let ml = try MovieLens100K.load(directory: dir)
        let data = ml.ratings.asImplicit()
        let coldItems = try ColdStartProtocol.coldItems(data, seed: 1)
        let coldUsers = try ColdStartProtocol.coldUsers(data, seed: 1)
        func hybrid() -> FeatureFactorization {
            FeatureFactorization(userFeatures: ml.userFeatureTokens, itemFeatures: ml.itemFeatureTokens)
        }
        let cfI = BPR(), hyI = hybrid()
        try cfI.fit(coldItems.train); try hyI.fit(coldItems.train)
        let c1 = try ColdStartProtocol.evaluateColdItems(cfI, split: coldItems)
        let h1 = try ColdStartProtocol.evaluateColdItems(hyI, split: coldItems)
        print("cold items CF \(c1)\ncold items hybrid \(h1)")
        #expect(h1.ndcg > c1.ndcg && h1.auc > c1.auc && h1.recall > c1.recall)
        let cfU = BPR(), hyU = hybrid()
        try cfU.fit(coldUsers.train); try hyU.fit(coldUsers.train)
        let c2 = try ColdStartProtocol.evaluateColdUsers(cfU, split: coldUsers)
        let h2 = try ColdStartProtocol.evaluateColdUsers(hyU, split: coldUsers)
        print("cold users CF \(c2)\ncold users hybrid \(h2)")
        #expect(h2.ndcg > c2.ndcg && h2.auc > c2.auc && h2.map > c2.map)
    }

    @Test("Rec accuracy: partialFit on new interactions improves their users' recall@10")
    func partialFitImprovesRecall() throws {
        guard let dir = recAccuracyDataset() else { return }
        let data = try MovieLens100K.load(directory: dir).ratings
        let stream = try StreamingStudy(data: data)
        let model = try StreamingRecommender(seed: 3)
        try model.partialFit(stream.initial, passes: 10)
        let before = try stream.recall(model)
        try model.partialFit(stream.newEvents, passes: 10)
        let after = try stream.recall(model)
        print("streamed users' recall@10: before \(before), after partialFit \(after)")
        #expect(after > before * 1.2)
    }
}

