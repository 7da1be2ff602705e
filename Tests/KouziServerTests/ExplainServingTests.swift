import Foundation
import Testing

/// `POST /v2/models/{name}/explain` on deployed table, image and text models: attributions that add up, the methods
/// each kind takes, and a 400 naming the fault for everything else.
@Suite("Explanations through the serving API")
struct ExplainServingTests {
    let p = "/api/v1/projects/1"
    let serving = ServingTests()

    func explain(_ server: TestServer, _ name: String, _ body: [String: Any], version: Int? = nil) async throws -> HTTPResult {
        try await server.call(nil, "POST", "/v2/models/\(name)" + (version.map { "/versions/\($0)" } ?? "") + "/explain", json: body)
    }

    func explanations(_ result: HTTPResult) -> [[String: Any]] { result.object["explanations"] as? [[String: Any]] ?? [] }

    /// The sum of the attributions against prediction minus base value.
    func gap(_ e: [String: Any], _ key: String) -> Double {
        let items = e[key] as? [[String: Any]] ?? []
        let sum = items.reduce(0.0) { $0 + ($1["attribution"] as? Double ?? .nan) }
        return abs(sum - ((e["prediction"] as? Double ?? .nan) - (e["base_value"] as? Double ?? .nan)))
    }

    @Test(arguments: Backend.available)
    func aTableModelIsExplainedByItsColumns(_ backend: Backend) async throws {
        let server = try await TestServer(backend)
        defer { server.shutdown() }
        try await serving.deployedClassifier(server)
        var body = serving.rows([3.0, 0.1], [0.0, 3.1], ["dark", "light"], id: "e1")
        let answer = try await explain(server, "clusters", body)
        #expect(answer.status == 200, "\(answer.text)")
        #expect(answer.object["method"] as? String == "kernel_shap" && answer.object["id"] as? String == "e1")
        #expect(answer.object["model_version"] as? String == "1")
        let rows = explanations(answer)
        #expect(rows.count == 2)
        #expect(rows.map { $0["target"] as? String } == ["b", "c"])
        for row in rows {
            let features = row["features"] as? [[String: Any]] ?? []
            #expect(features.map { $0["name"] as? String } == ["x1", "x2", "shade"])
            #expect(gap(row, "features") < 1e-4 && row["exact"] as? Bool == true)
            // The clusters are told apart by x1 and x2; the shade carries nothing.
            let size = features.map { abs($0["attribution"] as? Double ?? 0) }
            #expect(size[2] < max(size[0], size[1]), "\(features)")
            #expect((row["prediction"] as? Double ?? 0) > 0.5)
        }
        #expect((rows[0]["features"] as? [[String: Any]])?.last?["value"] as? String == "dark")
        // Exact Shapley values agree (three columns: every coalition is already in the default budget).
        body["parameters"] = ["method": "exact_shapley", "target": "a"]
        let exact = try await explain(server, "clusters", body, version: 1)
        #expect(exact.status == 200, "\(exact.text)")
        #expect(explanations(exact).map { $0["target"] as? String } == ["a", "a"])
        #expect(explanations(exact).allSatisfy { gap($0, "features") < 1e-4 })

        for (parameters, code) in [(["method": "integrated_gradients"], "not_explainable"), (["target": "zebra"], "invalid_input"),
                                   (["samples": 0], "invalid_input"), (["method": "lime"], "invalid_input")] as [([String: Any], String)] {
            body["parameters"] = parameters
            let refused = try await explain(server, "clusters", body)
            #expect(refused.status == 400 && refused.object["code"] as? String == code, "\(parameters): \(refused.text)")
        }
        let many = serving.rows([Double](repeating: 1, count: 17), [Double](repeating: 1, count: 17), [String](repeating: "dark", count: 17))
        let tooMany = try await explain(server, "clusters", many)
        #expect(tooMany.status == 400 && tooMany.text.contains("at most 16 rows"), "\(tooMany.text)")
        let missing = try await explain(server, "clusters", ["inputs": [["name": "x1", "shape": [1], "datatype": "FP32", "data": [1]]]])
        #expect(missing.status == 400 && missing.text.contains("missing input"), "\(missing.text)")
        #expect(try await explain(server, "nowhere", serving.rows([1], [1], ["dark"])).status == 404)
        #expect(try await explain(server, "clusters", serving.rows([1], [1], ["dark"]), version: 9).status == 404)
        let metrics = try await server.call(nil, "GET", "/metrics").text
        #expect(metrics.contains("kouzi_explanations_total{model=\"clusters\",method=\"kernel_shap\",status=\"ok\"} 1"), "\(metrics)")
    }

    /// An explanation job per version: the columns that separate the clusters matter, the shade and the noise column
    /// do not; the model's importances list both versions, newest first.
    @Test func explanationJobsStoreColumnImportancesPerVersion() async throws {
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        let dataset = try await JobFixtures.uploadCSV(server, name: "clusters", JobFixtures.clustersCSV(rows: 300, noiseColumns: 1))
        for seed in 1...2 {
            let job = try await server.call(nil, "POST", p + "/jobs", json: [
                "template": "mlp_classifier", "target": "label", "dataset": ["id": dataset, "version": 1], "seed": seed,
                "hyperparameters": ["epochs": 30, "units": 16], "model": "clusters",
            ])
            #expect(try await JobFixtures.waitForJob(server, job.object["id"] as! Int)["state"] as? String == "succeeded")
            let explanation = try await server.call(nil, "POST", p + "/explanations", json: [
                "model": 1, "version": String(seed), "dataset": ["id": dataset, "version": 1], "repeats": 4,
            ])
            #expect(explanation.status == 201 && explanation.object["kind"] as? String == "explain", "\(explanation.text)")
            let done = try await JobFixtures.waitForJob(server, explanation.object["id"] as! Int)
            #expect(done["state"] as? String == "succeeded", "\(done)")
        }
        let importances = try await server.call(nil, "GET", p + "/models/1/importances")
        #expect(importances.status == 200, "\(importances.text)")
        let versions = importances.object["versions"] as? [[String: Any]] ?? []
        #expect(versions.map { $0["version"] as? Int } == [2, 1])
        for version in versions {
            #expect(version["metric"] as? String == "accuracy" && (version["baseline"] as? Double ?? 0) > 0.95)
            #expect(version["rows"] as? Int == 300 && version["repeats"] as? Int == 4)
            let columns = version["columns"] as? [[String: Any]] ?? []
            #expect(columns.map { $0["name"] as? String } == ["x1", "x2", "shade", "n0"])
            let mean = columns.map { $0["mean"] as? Double ?? 0 }
            #expect(min(mean[0], mean[1]) > 0.1 && max(mean[2], mean[3]) < 0.05, "\(columns)")
            #expect(columns.allSatisfy { ($0["lower"] as? Double ?? 1) <= ($0["mean"] as? Double ?? 0) })
        }
        let refused = try await server.call(nil, "POST", p + "/explanations", json: [
            "model": 1, "version": "1", "dataset": ["id": dataset, "version": 1], "repeats": 1,
        ])
        #expect(refused.status == 400 && refused.text.contains("repeats"), "\(refused.text)")
        #expect(try await server.call(nil, "GET", p + "/models/77/importances").status == 404)
    }

    /// 8 × 8 images whose class is where a bright 3 × 3 square lies (top left: "tl", bottom right: "br").
    static func squaresIDX(count: Int) -> (images: Data, labels: Data) {
        var images = Data([0, 0, 8, 3]), labels = Data([0, 0, 8, 1])
        for n in [count, 8, 8] { withUnsafeBytes(of: UInt32(n).bigEndian) { images.append(contentsOf: $0) } }
        withUnsafeBytes(of: UInt32(count).bigEndian) { labels.append(contentsOf: $0) }
        var state: UInt64 = 12345
        for i in 0..<count {
            let label = i % 2
            let corner = label == 0 ? 0 : 5
            for y in 0..<8 {
                for x in 0..<8 {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    let inside = (corner..<(corner + 3)).contains(y) && (corner..<(corner + 3)).contains(x)
                    images.append(inside ? 230 : UInt8(state >> 59))
                }
            }
            labels.append(UInt8(label))
        }
        return (images, labels)
    }

    @Test func anImageModelIsExplainedByAHeatMap() async throws {
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        let dataset = try await server.call(nil, "POST", p + "/datasets", json: ["name": "squares"]).object["id"] as! Int
        let (images, labels) = Self.squaresIDX(count: 400)
        var files: [[String: Any]] = []
        for (name, bytes) in [("train-images-idx3-ubyte", images), ("train-labels-idx1-ubyte", labels), ("classes.txt", Data("tl\nbr".utf8))] {
            let stored = try await server.call(nil, "POST", p + "/uploads", body: bytes)
            files.append(["name": name, "sha256": stored.object["sha256"]!])
        }
        let version = try await server.call(nil, "POST", p + "/datasets/\(dataset)/versions", json: ["format": "idx", "files": files])
        #expect(version.status == 201, "\(version.text)")
        let job = try await server.call(nil, "POST", p + "/jobs", json: [
            "template": "cnn_image_classifier", "dataset": ["id": dataset, "version": 1], "seed": 1, "model": "squares",
            "hyperparameters": ["epochs": 6, "conv_blocks": 1, "filters": 4, "dense_units": 16, "learning_rate": 0.01],
        ])
        #expect(job.status == 201, "\(job.text)")
        let done = try await JobFixtures.waitForJob(server, job.object["id"] as! Int)
        #expect(done["state"] as? String == "succeeded", "\(done)")
        let deployed = try await server.call(nil, "POST", p + "/deployments", json: ["name": "squares", "model": 1, "version": "1"])
        #expect(deployed.status == 201, "\(deployed.text)")
        try await serving.waitReady(server, "squares")

        let pixels = Array(Self.squaresIDX(count: 2).images.dropFirst(16)).map(Double.init)
        let request: [String: Any] = ["inputs": [["name": "input", "shape": [2, 8, 8, 1], "datatype": "UINT8", "data": pixels]]]
        for method in ["integrated_gradients", "grad_cam", "saliency", "gradient_x_input"] {
            var body = request
            body["parameters"] = ["method": method]
            let answer = try await explain(server, "squares", body)
            #expect(answer.status == 200, "\(method): \(answer.text)")
            let rows = explanations(answer)
            #expect(rows.map { $0["target"] as? String } == ["tl", "br"], "\(method)")
            for (r, row) in rows.enumerated() {
                let heatmap = row["heatmap"] as? [String: Any] ?? [:]
                #expect(heatmap["shape"] as? [Int] == [8, 8])
                let data = heatmap["data"] as? [Double] ?? []
                #expect(data.count == 64)
                // The heat lies on the square that decided the class, not on the opposite corner's noise.
                func mass(_ corner: Int) -> Double {
                    (corner..<(corner + 3)).flatMap { y in (corner..<(corner + 3)).map { x in data[y * 8 + x] } }.reduce(0, +)
                }
                let own = mass(r == 0 ? 0 : 5), other = mass(r == 0 ? 5 : 0)
                #expect(own > other, "\(method), row \(r): \(own) on the square, \(other) on the other corner")
            }
            if method == "integrated_gradients" {
                #expect(rows.allSatisfy { ($0["completeness_gap"] as? Double ?? 1) < 1e-3 }, "\(rows.map { $0["completeness_gap"] ?? "-" })")
            }
        }
        var shapley = request
        shapley["parameters"] = ["method": "kernel_shap"]
        let refused = try await explain(server, "squares", shapley)
        #expect(refused.status == 400 && refused.object["code"] as? String == "not_explainable", "\(refused.text)")
    }

    @Test func aTextModelIsExplainedByItsTokens() async throws {
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        let positive = ["a great film", "great acting and a great story", "truly great", "what a great day", "great fun"]
        let negative = ["a dull film", "dull acting and a dull story", "truly dull", "what a dull day", "dull fun"]
        var csv = "text,label\n"
        for i in 0..<120 { csv += "\(positive[i % 5]),pos\n\(negative[i % 5]),neg\n" }
        let dataset = try await JobFixtures.uploadCSV(server, name: "reviews", csv)
        let job = try await server.call(nil, "POST", p + "/jobs", json: [
            "template": "lstm_text_classifier", "target": "label", "dataset": ["id": dataset, "version": 1], "seed": 1, "model": "reviews",
            "hyperparameters": ["epochs": 8, "vocabulary_size": 100, "sequence_length": 8, "embedding_dim": 8, "units": 8,
                                "bidirectional": false, "learning_rate": 0.02],
        ])
        let done = try await JobFixtures.waitForJob(server, job.object["id"] as! Int)
        #expect(done["state"] as? String == "succeeded", "\(done)")
        _ = try await server.call(nil, "POST", p + "/deployments", json: ["name": "reviews", "model": 1, "version": "1"])
        try await serving.waitReady(server, "reviews")
        let body: [String: Any] = ["inputs": [["name": "text", "shape": [2], "datatype": "BYTES", "data": ["A great story", "what a dull film"]]]]
        let answer = try await explain(server, "reviews", body)
        #expect(answer.status == 200, "\(answer.text)")
        let rows = explanations(answer)
        #expect(rows.map { $0["target"] as? String } == ["pos", "neg"])
        #expect((rows.first?["tokens"] as? [[String: Any]])?.map { $0["token"] as? String } == ["a", "great", "story"])
        for row in rows {
            #expect(row["exact"] as? Bool == true && gap(row, "tokens") < 1e-4)
            let tokens = row["tokens"] as? [[String: Any]] ?? []
            let strongest = tokens.max { abs($0["attribution"] as? Double ?? 0) < abs($1["attribution"] as? Double ?? 0) }
            #expect(["great", "dull"].contains(strongest?["token"] as? String ?? ""), "\(tokens)")
        }
        var gradient = body
        gradient["parameters"] = ["method": "saliency"]
        let refused = try await explain(server, "reviews", gradient)
        #expect(refused.status == 400 && refused.object["code"] as? String == "not_explainable", "\(refused.text)")
    }
}
