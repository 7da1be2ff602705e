import Foundation
import KouziBase
import KouziInference
import KouziNN
import KouziRec

/// A recommender version loaded for serving.
///
/// On the Open Inference Protocol it reads BYTES inputs and answers by which are given:
/// - `user_id` `[N]`: each user's top `k` items (`parameters.k`, default 10) they have not seen
///   (`parameters.exclude_seen`, default true; `parameters.exclude`: more item ids to leave out) as `item_ids`
///   BYTES `[N, k]`, `scores` FP32 `[N, k]` and `cold_start` BOOL `[N]` (unknown users get the popularity ranking);
/// - `item_id` `[N]`: the `k` most similar items of each (`item_ids`, `scores`);
/// - both (rating models): the estimated rating of each pair as `predictions` FP32 `[N]`.
/// Lists shorter than `k` (a small catalogue) are padded with empty ids and zero scores.
public final class ServedRecommender: ServedVersion, @unchecked Sendable {
    public let deployment: String
    public let modelID: Int64
    public let version: Int64
    let model: FactorRecommender

    init(deployment: String, modelID: Int64, version: Int64, path: String) throws {
        self.deployment = deployment
        self.modelID = modelID
        self.version = version
        do { model = try FactorRecommender.load(from: path) } catch {
            throw PlatformError(.unprocessable, code: "invalid_model_package", "the recommender does not load: \(error)")
        }
    }

    public var inputs: [InferTensorMetadata] {
        [InferTensorMetadata(name: "user_id", datatype: "BYTES", shape: [-1]), InferTensorMetadata(name: "item_id", datatype: "BYTES", shape: [-1])]
    }

    public var outputs: [InferTensorMetadata] {
        [InferTensorMetadata(name: "item_ids", datatype: "BYTES", shape: [-1, -1]), InferTensorMetadata(name: "scores", datatype: "FP32", shape: [-1, -1]),
         InferTensorMetadata(name: "cold_start", datatype: "BOOL", shape: [-1]), InferTensorMetadata(name: "predictions", datatype: "FP32", shape: [-1])]
    }

    public var queueDepth: Int { 0 }

    public func estimatedBytes(maxBatch: Int) -> Int64 {
        Int64((model.users.count + model.items.count) * (model.factors + 2)) * 4 + Int64(model.items.count) * 16
    }

    /// The list settings of a request's parameters.
    struct ListOptions {
        var k = 10
        var excludeSeen = true
        var exclude: [String] = []

        /// Options from the Kouzi API's fields (nil: the default).
        init(k: Int?, excludeSeen: Bool?, exclude: [String]?) throws {
            if let k {
                guard (1...1_000).contains(k) else { throw PlatformError.invalid("k", "must be in 1…1000 (got \(k))") }
                self.k = k
            }
            self.excludeSeen = excludeSeen ?? true
            self.exclude = exclude ?? []
        }

        /// Options from an inference request's parameters.
        init(_ parameters: [String: JSONValue]?) throws {
            if let value = parameters?["k"] {
                guard let k = value.intValue, (1...1_000).contains(k) else {
                    throw InferenceCodec.invalid("parameters.k must be a whole number in 1…1000 (got \(value))")
                }
                self.k = k
            }
            if let value = parameters?["exclude_seen"] {
                guard case let .bool(flag) = value else { throw InferenceCodec.invalid("parameters.exclude_seen must be true or false") }
                excludeSeen = flag
            }
            if let value = parameters?["exclude"] {
                guard let list = value.arrayValue?.compactMap(\.stringValue), list.count == value.arrayValue?.count else {
                    throw InferenceCodec.invalid("parameters.exclude must be a list of item ids")
                }
                exclude = list
            }
        }
    }

    public func infer(_ request: InferRequest) async throws -> (outputs: [InferTensor], timing: BatchTiming) {
        let started = Batcher.now()
        var ids: [String: [String]] = [:]
        for tensor in request.inputs {
            guard ["user_id", "item_id"].contains(tensor.name) else {
                throw InferenceCodec.invalid("unknown input '\(tensor.name)' (a recommender reads user_id and/or item_id, BYTES)")
            }
            guard case let .strings(values, shape) = try InferenceCodec.decode(tensor), shape.reduce(1, *) == shape.first else {
                throw InferenceCodec.invalid("input '\(tensor.name)' must be BYTES of shape [N]")
            }
            ids[tensor.name] = values
        }
        let options = try ListOptions(request.parameters)
        var outputs: [InferTensor]
        do {
            switch (ids["user_id"], ids["item_id"]) {
            case let (users?, items?):
                guard users.count == items.count else {
                    throw InferenceCodec.invalid("user_id has \(users.count) ids but item_id \(items.count)")
                }
                guard model.feedback == .ratings else {
                    throw InferenceCodec.invalid("this \(model.algorithm) model ranks events and estimates no ratings; send user_id or item_id alone")
                }
                let estimates = zip(users, items).map { Float(model.predict(user: $0, item: $1)) }
                outputs = [InferenceCodec.floats("predictions", estimates, shape: [users.count])]
            case let (users?, nil):
                let rankings = try users.map { try model.recommend(user: $0, k: options.k, excludeSeen: options.excludeSeen, exclude: options.exclude) }
                outputs = lists(rankings.map(\.items), k: options.k)
                outputs.append(InferTensor(name: "cold_start", shape: [users.count], datatype: "BOOL",
                                           data: .array(rankings.map { .bool($0.coldStart) })))
            case let (nil, items?):
                outputs = lists(try items.map { try model.similarItems(to: $0, k: options.k, exclude: options.exclude) }, k: options.k)
            case (nil, nil):
                throw InferenceCodec.invalid("the request has no inputs (send user_id and/or item_id, BYTES)")
            }
        } catch let error as RecError {
            if case let .unknownItem(id) = error { throw PlatformError(.notFound, code: "item_not_found", "item '\(id)' is not in the model's catalogue") }
            throw InferenceCodec.invalid(error.description)
        }
        return (try InferenceCodec.select(outputs, wanted: request.outputs), BatchTiming(queued: 0, compute: Batcher.now() - started))
    }

    /// `item_ids` and `scores` of `k` columns, padded.
    private func lists(_ lists: [[Recommendation]], k: Int) -> [InferTensor] {
        var ids: [JSONValue] = [], scores: [Float] = []
        for list in lists {
            for j in 0..<k {
                ids.append(.string(j < list.count ? list[j].item : ""))
                scores.append(j < list.count ? list[j].score : 0)
            }
        }
        return [InferTensor(name: "item_ids", shape: [lists.count, k], datatype: "BYTES", data: .array(ids)),
                InferenceCodec.floats("scores", scores, shape: [lists.count, k])]
    }

    /// A ranking for the Kouzi API: a known user, or a history folded in.
    func recommend(user: String?, history: [String]?, ratings: [Double]?, options: ListOptions) throws -> FactorRecommender.Ranking {
        do {
            if let history { return try model.recommend(history: history, ratings: ratings, k: options.k, exclude: options.exclude) }
            return try model.recommend(user: user ?? "", k: options.k, excludeSeen: options.excludeSeen, exclude: options.exclude)
        } catch { throw InferenceCodec.invalid("\(error)") }
    }

    /// Similar items for the Kouzi API.
    func similar(to item: String, options: ListOptions) throws -> [Recommendation] {
        do { return try model.similarItems(to: item, k: options.k, exclude: options.exclude) } catch {
            if case .unknownItem = error { throw PlatformError(.notFound, code: "item_not_found", "item '\(item)' is not in the model's catalogue") }
            throw InferenceCodec.invalid(error.description)
        }
    }
}
