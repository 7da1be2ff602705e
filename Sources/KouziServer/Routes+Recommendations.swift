import Foundation
import Hummingbird
import KouziPlatform

extension APIRoutes {
    /// Top-N recommendations and similar items from recommender deployments.
    static func recommendations(_ platform: Platform) -> [Endpoint] {
        let deployments = platform.deployments
        let base = "/api/v1/projects/{project}/deployments/{deployment}"
        return [
            Endpoint(method: .post, path: base + "/recommendations", operationID: "recommend",
                     summary: "The top-N items for a user (items they saw left out), or for a new user from their history",
                     tag: "inference", request: .json(.ref("RecommendationQuery")),
                     responses: [(200, "Ranked items", .json(.ref("RecommendationList")))]) { request, context in
                let query = try await JSON.decode(RecommendationQuery.self, from: request, context: context)
                return try JSON.response(try await deployments.recommendations(try context.caller, projectID: try context.id("project"),
                                                                               name: try context.text("deployment"), query))
            },
            Endpoint(method: .post, path: base + "/similar-items", operationID: "similarItems",
                     summary: "The items most similar to an item (cosine of the item vectors)", tag: "inference",
                     request: .json(.ref("SimilarItemsQuery")),
                     responses: [(200, "Ranked items", .json(.ref("RecommendationList")))]) { request, context in
                let query = try await JSON.decode(SimilarItemsQuery.self, from: request, context: context)
                return try JSON.response(try await deployments.similarItems(try context.caller, projectID: try context.id("project"),
                                                                            name: try context.text("deployment"), query))
            },
        ]
    }
}

extension Schemas {
    /// Recommendation requests and answers.
    static let recommendations: [(String, SchemaDoc)] = [
        ("RecommendationQuery", .object([
            ("user", .string), ("history", .array(.string)), ("ratings", .array(.number)), ("k", .integer(1...1000)),
            ("excludeSeen", .boolean), ("exclude", .array(.string)),
        ], optional: ["user", "history", "ratings", "k", "excludeSeen", "exclude"]).requiringExactlyOne(of: ["user", "history"])),
        ("SimilarItemsQuery", .object([("item", .string), ("k", .integer(1...1000)), ("exclude", .array(.string))], optional: ["k", "exclude"])),
        ("RecommendationList", .object([
            ("deployment", .string), ("version", .integer), ("variant", .string), ("coldStart", .boolean),
            ("items", .array(.object([("item", .string), ("score", .number)]))),
        ], optional: ["variant", "coldStart"])),
    ]
}
