import Foundation
import KouziNN
import KouziRec

/// A ranked list a recommender deployment answered.
public struct RecommendationList: Codable, Sendable {
    public struct Item: Codable, Sendable, Equatable {
        public var item: String
        public var score: Float
    }

    public var deployment: String
    public var version: Int64
    /// The A/B variant that answered, when the deployment is split (chosen by the user id, so a user keeps theirs).
    public var variant: String?
    /// True when the user was unknown (or no item of the history was known) and popularity ranked the items.
    public var coldStart: Bool?
    public var items: [Item]
}

/// `POST …/recommendations`: a known user, or a new one described by their history (and ratings).
public struct RecommendationQuery: Codable, Sendable {
    public var user: String?
    public var history: [String]?
    public var ratings: [Double]?
    public var k: Int?
    /// Leave out what the user saw in training (default true).
    public var excludeSeen: Bool?
    /// More item ids to leave out.
    public var exclude: [String]?
}

/// `POST …/similar-items`.
public struct SimilarItemsQuery: Codable, Sendable {
    public var item: String
    public var k: Int?
    public var exclude: [String]?
}

extension DeploymentService {
    /// The top-N items for a user of a recommender deployment (viewers), counted in the inference metrics.
    public func recommendations(_ principal: Principal, projectID: Int64, name: String, _ query: RecommendationQuery) async throws
        -> RecommendationList {
        guard (query.user == nil) != (query.history == nil) else {
            throw PlatformError.invalid("user", "give either a user id or a history of item ids")
        }
        if let ratings = query.ratings, ratings.count != query.history?.count ?? -1 {
            throw PlatformError.invalid("ratings", "give one rating per item of the history")
        }
        let options = try ServedRecommender.ListOptions(k: query.k, excludeSeen: query.excludeSeen, exclude: query.exclude)
        return try await withRecommender(principal, projectID: projectID, name: name, key: query.user) { model in
            let ranking = try model.recommend(user: query.user, history: query.history, ratings: query.ratings, options: options)
            if ranking.coldStart {
                self.metrics.increment("kouzi_recommendations_cold_start_total", [name])
            }
            return (ranking.items, ranking.coldStart)
        }
    }

    /// The items most similar to an item of a recommender deployment (viewers).
    public func similarItems(_ principal: Principal, projectID: Int64, name: String, _ query: SimilarItemsQuery) async throws
        -> RecommendationList {
        let options = try ServedRecommender.ListOptions(k: query.k, excludeSeen: nil, exclude: query.exclude)
        return try await withRecommender(principal, projectID: projectID, name: name, key: nil) { model in
            (try model.similar(to: query.item, options: options), nil)
        }
    }

    /// Resolves the deployment (an A/B variant by `key`), runs `body` on its recommender and counts the request.
    private func withRecommender(_ principal: Principal, projectID: Int64, name: String, key: String?,
                                 _ body: (ServedRecommender) throws -> ([Recommendation], Bool?)) async throws -> RecommendationList {
        let started = Batcher.now()
        var labels = [name, "", ""]
        do {
            let deployment = try await resolve(principal, name: name)
            guard deployment.projectID == projectID else { throw PlatformError.notFound("deployment", name) }
            var served: any ServedVersion
            let variant = deployment.variants.flatMap { SplitMath.choose($0, key: key) }
            if let variant { served = try await host.serving(Self.arm(deployment, variant)) } else {
                served = try await model(for: deployment)
            }
            labels[1] = String(served.version)
            labels[2] = variant?.name ?? ""
            guard let recommender = served as? ServedRecommender else {
                throw PlatformError(.badRequest, code: "not_a_recommender",
                                    "deployment '\(name)' serves a network; use POST /v2/models/\(name)/infer")
            }
            let (items, cold) = try body(recommender)
            count(labels, since: started, BatchTiming(queued: 0, compute: Batcher.now() - started))
            return RecommendationList(deployment: name, version: served.version, variant: variant?.name, coldStart: cold,
                                      items: items.map { .init(item: $0.item, score: $0.score) })
        } catch {
            countFailure(labels, error)
            throw error
        }
    }
}
