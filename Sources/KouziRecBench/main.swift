// kouzi-rec-bench: 5-fold cross-validation of every rating model on MovieLens-100K (RMSE, MAE, seconds),
// leave-last-out ranking of the implicit models, and the cold-start protocols. When `import surprise`
// works, scikit-surprise runs side by side (scripts/bench/surprise_ml100k.py); otherwise its published
// numbers are printed for reference.
import KouziBase
import KouziData
import KouziRec

func fmt(_ x: Double, _ digits: Int = 4) -> String {
    var p = 1.0
    for _ in 0..<digits { p *= 10 }
    let v = (x * p).rounded() / p
    var s = String(v)
    let decimals = s.split(separator: ".").last.map(\.count) ?? 0
    if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
    return s
}
func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }

guard let dir = DatasetLocator.directory(named: "movielens-100k") else {
    print(DatasetLocator.skipMessage(for: "movielens-100k"))
    exit(0)
}
let ml = try MovieLens100K.load(directory: dir)
print("MovieLens-100K: \(ml.ratings.count) ratings, \(ml.ratings.users.count) users, \(ml.ratings.items.count) items")

/// Published Surprise v1.1 benchmark (README, ml-100k, 5-fold, default parameters): RMSE, MAE, time.
let published: [String: (Double, Double, String)] = [
    "BaselineOnly": (0.944, 0.748, "0:00:02"), "KNNBasic": (0.98, 0.774, "0:00:08"),
    "KNNWithMeans": (0.951, 0.749, "0:00:09"), "KNNBaseline": (0.931, 0.733, "0:00:13"),
    "SVD": (0.934, 0.737, "0:00:06"), "SVD++": (0.919, 0.721, "0:01:22–0:01:39"), "NMF": (0.963, 0.758, "0:00:06"),
]

// Surprise side by side, when installed.
var surprise: [String: (String, String, String)] = [:]
if system("python3 -c 'import surprise' 2>/dev/null") == 0, let pipe = popen("python3 scripts/bench/surprise_ml100k.py '\(dir)'", "r") {
    var line = [CChar](repeating: 0, count: 512)
    while fgets(&line, 512, pipe) != nil {
        let f = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).split(separator: "\t").map { String($0).trimmingCharacters() }
        if f.count == 4 { surprise[f[0]] = (f[1], f[2], f[3]) }
    }
    pclose(pipe)
}
extension String {
    func trimmingCharacters() -> String { String(self.filter { $0 != "\n" && $0 != " " }) }
}

let splits = try Splitter.kFold(ml.ratings, folds: 5, seed: 0)
let models: [(String, () -> any RatingPredictor)] = [
    ("BaselineOnly", { BaselineOnly() }),
    ("KNNBasic", { KNN(variant: .basic) }),
    ("KNNWithMeans", { KNN(variant: .withMeans) }),
    ("KNNBaseline", { KNN(variant: .baseline) }),
    ("SVD", { SVD() }),
    ("SVD++", { SVDpp() }),
    ("NMF", { NMF() }),
    ("SVD (Surprise defaults)", { SVD.surpriseDefaults() }),
    ("SVD++ (Surprise defaults)", { SVDpp.surpriseDefaults() }),
    ("NMF (Surprise defaults)", { NMF.surpriseDefaults() }),
    ("KNNBasic item-based", { KNN(variant: .basic, similarity: SimilarityOptions(userBased: false)) }),
    ("KNNBaseline item pearson_baseline", { KNN(variant: .baseline, similarity: SimilarityOptions(measure: .pearsonBaseline(), userBased: false)) }),
]
print("\n5-fold CV (fold seed 0), rating prediction; time = fit + test over all 5 folds")
print(pad("algorithm", 36) + pad("RMSE", 8) + pad("MAE", 8) + pad("seconds", 9) + (surprise.isEmpty ? "Surprise published RMSE / MAE / time" : "Surprise (same run) RMSE / MAE / s"))
for (label, make) in models {
    let r = try CrossValidation.run(make, on: splits)
    let key = String(label.split(separator: " ").first!)
    var ref = ""
    if let s = surprise[key], !label.contains("(") && !label.contains(" ") { ref = "\(s.0) / \(s.1) / \(s.2) s  (ours \(fmt(Double(s.2) ?? 0 > 0 ? (Double(s.2)! / r.totalSeconds) : 0, 1))× faster)" }
    else if let p = published[key], !label.contains("item") && !label.contains("Surprise") { ref = "\(p.0) / \(p.1) / \(p.2)" }
    print(pad(label, 36) + pad(fmt(r.meanRMSE), 8) + pad(fmt(r.meanMAE), 8) + pad(fmt(r.totalSeconds, 2), 9) + ref)
}

print("\nRanking, implicit (every rating is an event), per-user leave-last-out, k = 10")
let implicitData = ml.ratings.asImplicit()
let loo = try Splitter.leaveLastOut(implicitData)
for model in [PopularityRanker() as any ItemRanker, ImplicitALS(), BPR(),
              ContentBasedRecommender(features: ml.itemFeatures),
              try WeightedHybrid([(ImplicitALS(), 1), (BPR(), 1)])] {
    let t0 = monotonicSeconds()
    try model.fit(loo.train)
    let t1 = monotonicSeconds()
    let r = try RankingEvaluator.evaluate(model, train: loo.train, test: loo.test, k: 10)
    print(pad(model.name, 24) + r.description + "  fit \(fmt(t1 - t0, 2)) s")
}

print("\nCold start (20 % of items / users held out entirely, seed 1), k = 10")
let coldItems = try ColdStartProtocol.coldItems(implicitData, seed: 1)
let coldUsers = try ColdStartProtocol.coldUsers(implicitData, seed: 1)
func hybrid() -> FeatureFactorization {
    FeatureFactorization(userFeatures: ml.userFeatureTokens, itemFeatures: ml.itemFeatureTokens)
}
for (label, make) in [("BPR (pure CF)", { BPR() as any ItemRanker }), ("FeatureFM (hybrid)", { hybrid() as any ItemRanker })] {
    let a = make(); try a.fit(coldItems.train)
    print(pad(label, 20) + "cold items: " + (try ColdStartProtocol.evaluateColdItems(a, split: coldItems)).description)
    let b = make(); try b.fit(coldUsers.train)
    print(pad(label, 20) + "cold users: " + (try ColdStartProtocol.evaluateColdUsers(b, split: coldUsers)).description)
}

print("\nStreaming (Monolith-style): first 80 % of events by time trains, the rest arrive as a stream")
let study = try StreamingStudy(data: ml.ratings)
let streaming = try StreamingRecommender(seed: 3)
var t0 = monotonicSeconds()
try streaming.partialFit(study.initial, passes: 10)
let before = try study.recall(streaming)
t0 = monotonicSeconds()
try streaming.partialFit(study.newEvents, passes: 10)
let partialSeconds = monotonicSeconds() - t0
let after = try study.recall(streaming)
print("streamed users (\(study.heldOut.count)): recall@10 before \(fmt(before)) → after partialFit \(fmt(after)) (partialFit of \(study.newEvents.count) events: \(fmt(partialSeconds, 2)) s)")

print("\nDeep models (leave-last-out, k = 10)")
for model in [DeepCTRModel(.wideAndDeep, userFeatures: ml.userFeatureTokens, itemFeatures: ml.itemFeatureTokens.map { Array($0.prefix(3)) }) as any ItemRanker,
              DeepCTRModel(.deepFM, userFeatures: ml.userFeatureTokens, itemFeatures: ml.itemFeatureTokens.map { Array($0.prefix(3)) }),
              TwoTowerModel(userFeatures: ml.userFeatureTokens, itemFeatures: ml.itemFeatureTokens.map { Array($0.prefix(3)) })] {
    let t0 = monotonicSeconds()
    try model.fit(loo.train)
    let t1 = monotonicSeconds()
    let r = try RankingEvaluator.evaluate(model, train: loo.train, test: loo.test, k: 10)
    print(pad(model.name, 24) + r.description + "  fit \(fmt(t1 - t0, 2)) s")
}
