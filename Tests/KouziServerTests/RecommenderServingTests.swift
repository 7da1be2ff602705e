import Foundation
import KouziData
import Testing

/// A recommender template trained as a job on MovieLens-100K, deployed, and asked for top-N lists (known users
/// without what they rated, new users from a history, unknown users from popularity) and similar items, over the
/// Open Inference Protocol and Kouzi's API.
@Suite("Serving: recommenders")
struct RecommenderServingTests {
    let p = "/api/v1/projects/1"

    @Test func aTrainedRecommenderServesTopNListsAndSimilarItems() async throws {
        guard let directory = DatasetLocator.directory(named: "movielens-100k") else {
            print(DatasetLocator.skipMessage(for: "movielens-100k"))
            return
        }
        let ratings = try String(contentsOfFile: directory + "/u.data", encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: "\t").map(String.init) }
        let seenBy196 = Set(ratings.filter { $0[0] == "196" }.map { $0[1] })
        let csv = (["user_id,item_id,rating,timestamp"] + ratings.map { $0.joined(separator: ",") }).joined(separator: "\n") + "\n"
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        let dataset = try await JobFixtures.uploadCSV(server, name: "movielens", csv)

        let templates = try await server.call(nil, "GET", "/api/v1/templates").array
        #expect(templates.contains { $0["id"] as? String == "svd_recommender" && $0["task"] as? String == "recommendation" })
        // A rating model needs the rating column; searches do not tune recommenders.
        let unrated = try await server.call(nil, "POST", p + "/jobs", json: ["template": "svd_recommender", "dataset": ["id": dataset, "version": 1]])
        #expect(unrated.status == 400 && unrated.code == "invalid_target", "\(unrated.text)")
        let search = try await server.call(nil, "POST", p + "/tuning", json: [
            "training": ["template": "svd_recommender", "target": "rating", "dataset": ["id": dataset, "version": 1]],
            "space": ["factors": ["values": [10, 20]]], "strategy": "grid",
        ])
        #expect(search.status == 400 && (search.object["error"] as? String)?.contains("recommender") == true, "\(search.text)")

        let job = try await server.call(nil, "POST", p + "/jobs", json: [
            "template": "svd_recommender", "target": "rating", "dataset": ["id": dataset, "version": 1], "seed": 1, "model": "movies",
        ])
        #expect(job.status == 201, "\(job.text)")
        let done = try await JobFixtures.waitForJob(server, job.object["id"] as! Int)
        #expect(done["state"] as? String == "succeeded", "\(done)")
        let result = done["result"] as? [String: Any] ?? [:]
        let rmse = (result["metrics"] as? [String: Any])?["rmse"] as? Double ?? 9
        print("recommender job: held-out RMSE \(rmse) on \(result["evaluation"] ?? "?")")
        #expect(rmse < 0.96 && result["interactions"] as? Int == 100_000)
        let version = try await server.call(nil, "GET", p + "/models/1/versions/1").object
        #expect((version["signature"] as? [String: Any])?["kind"] as? String == "recommender")
        #expect(((version["metrics"] as? [String: Any])?["holdout_rmse"] as? Double) == rmse)

        #expect(try await server.call(nil, "POST", p + "/deployments", json: ["name": "movies", "model": 1, "version": "1"]).status == 201)
        let metadata = try await server.call(nil, "GET", "/v2/models/movies").object
        #expect((metadata["inputs"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["user_id", "item_id"])

        // Open Inference Protocol: a known and an unknown user, five items each.
        let answer = try await server.call(nil, "POST", "/v2/models/movies/infer", json: [
            "inputs": [["name": "user_id", "shape": [2], "datatype": "BYTES", "data": ["196", "nobody"]]], "parameters": ["k": 5],
        ])
        #expect(answer.status == 200, "\(answer.text)")
        let outputs = answer.object["outputs"] as? [[String: Any]] ?? []
        let ids = outputs.first { $0["name"] as? String == "item_ids" }
        #expect(ids?["shape"] as? [Int] == [2, 5])
        let listed = ids?["data"] as? [String] ?? []
        #expect(listed.count == 10 && listed.prefix(5).allSatisfy { !seenBy196.contains($0) && !$0.isEmpty })
        #expect(outputs.first { $0["name"] as? String == "cold_start" }?["data"] as? [Bool] == [false, true])
        let estimate = try await server.call(nil, "POST", "/v2/models/movies/infer", json: ["inputs": [
            ["name": "user_id", "shape": [1], "datatype": "BYTES", "data": ["196"]],
            ["name": "item_id", "shape": [1], "datatype": "BYTES", "data": ["50"]],
        ]]).object["outputs"] as? [[String: Any]]
        let predicted = (estimate?.first?["data"] as? [Double])?.first ?? 0
        #expect(predicted >= 1 && predicted <= 5)
        let bad = try await server.call(nil, "POST", "/v2/models/movies/infer", json: ["inputs": [
            ["name": "user_id", "shape": [1], "datatype": "FP32", "data": [196]]]])
        #expect(bad.status == 400 && (bad.object["error"] as? String)?.contains("BYTES") == true, "\(bad.text)")
        #expect(try await server.call(nil, "POST", "/v2/models/movies/infer", json: ["inputs": [
            ["name": "user_id", "shape": [1], "datatype": "BYTES", "data": ["196"]]], "parameters": ["k": 0]]).status == 400)

        // Kouzi's API: top-N, a new user from a history, similar items.
        let top = try await server.call(nil, "POST", p + "/deployments/movies/recommendations", json: ["user": "196", "k": 10]).object
        let topItems = (top["items"] as? [[String: Any]] ?? []).compactMap { $0["item"] as? String }
        #expect(topItems.count == 10 && topItems.allSatisfy { !seenBy196.contains($0) } && top["coldStart"] as? Bool == false)
        let all = try await server.call(nil, "POST", p + "/deployments/movies/recommendations",
                                        json: ["user": "196", "k": 1000, "excludeSeen": false]).object
        let allItems = (all["items"] as? [[String: Any]] ?? []).compactMap { $0["item"] as? String }
        #expect(allItems.count == 1000 && allItems.contains { seenBy196.contains($0) })
        let fresh = try await server.call(nil, "POST", p + "/deployments/movies/recommendations",
                                          json: ["history": ["50", "172", "181"], "ratings": [5, 5, 5], "k": 5]).object
        let freshItems = (fresh["items"] as? [[String: Any]] ?? []).compactMap { $0["item"] as? String }
        #expect(freshItems.count == 5 && Set(freshItems).isDisjoint(with: ["50", "172", "181"]) && fresh["coldStart"] as? Bool == false)
        let cold = try await server.call(nil, "POST", p + "/deployments/movies/recommendations", json: ["user": "nobody", "k": 3]).object
        #expect(cold["coldStart"] as? Bool == true && (cold["items"] as? [Any])?.count == 3)
        let similar = try await server.call(nil, "POST", p + "/deployments/movies/similar-items", json: ["item": "50", "k": 5]).object
        let similarItems = (similar["items"] as? [[String: Any]] ?? []).compactMap { $0["item"] as? String }
        #expect(similarItems.count == 5 && !similarItems.contains("50"))

        // The command line asks the same.
        let base = server.base.absoluteString, token = server.admin.token
        let cli = try await offPool { Result { try CLIClientTests.runKouzi(base: base, token: token, ["deployments", "recommend", "movies", "--user", "196", "-k", "3"]) } }.get()
        #expect(cli.status == 0 && cli.out.contains("ITEM") && cli.out.contains(topItems[0]), "\(cli.out) \(cli.err)")
        let cliSimilar = try await offPool { Result { try CLIClientTests.runKouzi(base: base, token: token, ["deployments", "recommend", "movies", "--similar-to", "50", "-k", "2"]) } }.get()
        #expect(cliSimilar.status == 0 && cliSimilar.out.contains(similarItems[0]), "\(cliSimilar.out) \(cliSimilar.err)")
        let cliBad = try await offPool { Result { try CLIClientTests.runKouzi(base: base, token: token, ["deployments", "recommend", "movies"]) } }.get()
        #expect(cliBad.status != 0 && cliBad.err.contains("exactly one of"))

        // Bad queries get a 4xx naming the problem.
        let unknown = try await server.call(nil, "POST", p + "/deployments/movies/similar-items", json: ["item": "nope"])
        #expect(unknown.status == 404 && unknown.code == "item_not_found")
        #expect(try await server.call(nil, "POST", p + "/deployments/movies/recommendations", json: ["user": "1", "history": ["50"]]).status == 400)
        #expect(try await server.call(nil, "POST", p + "/deployments/movies/recommendations", json: ["user": "1", "k": 0]).code == "invalid_k")
        #expect(try await server.call(nil, "POST", p + "/deployments/movies/recommendations",
                                      json: ["history": ["50"], "ratings": [11]]).status == 400)
        #expect(try await server.call(nil, "POST", p + "/deployments/nothing/recommendations", json: ["user": "1"]).status == 404)

        // The same monitoring as other deployments: request counts and latencies, cold starts.
        let metrics = try await server.call(nil, "GET", "/metrics").text
        #expect(metrics.contains("kouzi_inference_requests_total{model=\"movies\",version=\"1\",variant=\"\",status=\"success\"}"))
        #expect(metrics.contains("kouzi_recommendations_cold_start_total{model=\"movies\"} 1"))
        let monitoring = try await server.call(nil, "GET", p + "/deployments/movies/monitoring").object
        #expect((monitoring["reason"] as? String)?.contains("recommenders") == true)
        try await server.checkAgainstOpenAPI()
    }
}
