import Foundation
import KouziData
import KouziTestSupport
import Testing

/// Monitoring of live inputs on real data: a classifier trained on 70 % of the Wisconsin breast-cancer table is
/// served the other 30 % (no drift, no alert), then the same rows as a recalibrated instrument would report them
/// (every measurement 15 % higher: the drift alert fires), then the unshifted rows again (it resolves); refused
/// requests and out-of-range values raise the data-quality alert; the system-health view and the model memory
/// budget.
@Suite("Serving: monitoring, alerts, health, memory budget")
struct ServingMonitoringTests {
    let p = "/api/v1/projects/1"

    /// The table's rows (30 measurements, then 0 = malignant or 1 = benign).
    static func breastCancer() throws -> [[Double]]? {
        guard let directory = DatasetLocator.directory(named: "sklearn-bundled") else { return nil }
        let text = try String(contentsOfFile: directory + "/data/breast_cancer.csv", encoding: .utf8)
        // The first line is scikit-learn's header: row count, feature count, class names.
        return text.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
    }

    static let columns = (0..<30).map { "f\($0)" }

    /// A V2 request with one FP64 input per column.
    static func request(_ rows: ArraySlice<[Double]>, scale: Double = 1) -> [String: Any] {
        ["inputs": columns.enumerated().map { j, name in
            ["name": name, "shape": [rows.count], "datatype": "FP64", "data": rows.map { $0[j] * scale }] as [String: Any]
        }]
    }

    func send(_ server: TestServer, _ rows: [[Double]], scale: Double = 1) async throws {
        for start in stride(from: 0, to: rows.count, by: 10) {
            let r = try await server.call(nil, "POST", "/v2/models/cancer/infer",
                                          json: Self.request(rows[start..<min(rows.count, start + 10)], scale: scale))
            #expect(r.status == 200, "\(r.text)")
        }
    }

    func history(_ server: TestServer) async throws -> [[String: Any]] {
        try await server.call(nil, "GET", p + "/deployments/cancer/monitoring/history").array
    }

    func firing(_ server: TestServer) async throws -> [String] {
        try await server.call(nil, "GET", p + "/alerts?state=firing").array.compactMap { $0["kind"] as? String }.sorted()
    }

    /// Polls until `condition` holds (evaluations run on their own task after the request that completes a step).
    func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<100 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("\(what) did not happen within 10 s")
    }

    @Test(arguments: Backend.available)
    func driftFiresOnShiftedRealDataAndNotOnUnshifted(_ backend: Backend) async throws {
        guard let table = try Self.breastCancer() else {
            print(DatasetLocator.skipMessage(for: "sklearn-bundled"))
            return
        }
        let training = table.enumerated().filter { $0.offset % 10 < 7 }.map(\.element)
        let heldOut = table.enumerated().filter { $0.offset % 10 >= 7 }.map(\.element)
        let server = try await TestServer(backend)
        defer { server.shutdown() }
        let csv = ([(Self.columns + ["diagnosis"]).joined(separator: ",")] + training.map { row in
            row.prefix(30).map { String($0) }.joined(separator: ",") + (row[30] == 0 ? ",malignant" : ",benign")
        }).joined(separator: "\n") + "\n"
        let dataset = try await JobFixtures.uploadCSV(server, name: "cancer", csv)
        let job = try await server.call(nil, "POST", p + "/jobs", json: [
            "template": "logistic_regression", "target": "diagnosis", "dataset": ["id": dataset, "version": 1], "seed": 1,
            "hyperparameters": ["epochs": 40], "model": "cancer",
        ])
        let done = try await JobFixtures.waitForJob(server, job.object["id"] as! Int)
        #expect(done["state"] as? String == "succeeded", "\(done)")
        #expect(try await server.call(nil, "POST", p + "/deployments", json: ["name": "cancer", "model": 1, "version": "1"]).status == 201)
        // A window of the last 150 rows, judged from 100 rows on, evaluated every 50.
        let settings = try await server.call(nil, "PUT", p + "/deployments/cancer/monitoring",
                                             json: ["windowRows": 150, "minimumRows": 100, "evaluateEveryRows": 50, "evaluateEverySeconds": 0])
        #expect(settings.status == 200 && (settings.object["monitoring"] as? [String: Any])?["windowRows"] as? Int == 150, "\(settings.text)")
        let before = try await server.call(nil, "GET", p + "/deployments/cancer/monitoring").object
        #expect(before["report"] == nil && (before["reason"] as? String)?.contains("no request") == true, "\(before)")

        // The held-out rows: the same distribution as training.
        try await send(server, heldOut)
        let calm = try await server.call(nil, "GET", p + "/deployments/cancer/monitoring").object
        let calmReport = calm["report"] as? [String: Any] ?? [:]
        #expect(calmReport["evaluated"] as? Bool == true && calmReport["drift"] as? Bool == false, "\(calmReport["driftedFeatures"] ?? "")")
        #expect((calmReport["driftedShare"] as? Double ?? 1) < 0.1 && calmReport["rows"] as? Int == 150)
        #expect(calmReport["qualityProblem"] as? Bool == false, "\(calmReport["problemRowShare"] ?? "")")
        let features = calmReport["features"] as? [[String: Any]] ?? []
        #expect(features.count == 30 && features[0]["test"] as? String == "kolmogorov_smirnov")
        #expect((features[0]["bins"] as? [String])?.count == 10 && (features[0]["liveShares"] as? [Double])?.count == 10)
        try await eventually("two evaluations") { try await history(server).count >= 2 }
        #expect(try await firing(server).isEmpty)

        // The same rows read 15 % high: many features drift, the alert fires and names them.
        try await send(server, heldOut, scale: 1.15)
        let shifted = try await server.call(nil, "GET", p + "/deployments/cancer/monitoring").object
        let shiftedReport = shifted["report"] as? [String: Any] ?? [:]
        print("monitoring: unshifted window drifted share \(calmReport["driftedShare"] ?? "?"), "
            + "problem rows \(calmReport["problemRowShare"] ?? "?"); shifted window drifted share \(shiftedReport["driftedShare"] ?? "?")")
        #expect(shiftedReport["drift"] as? Bool == true && (shiftedReport["driftedShare"] as? Double ?? 0) >= 0.3, "\(shiftedReport["driftedShare"] ?? "")")
        try await eventually("the drift alert") { try await firing(server).contains("drift") }
        let alerts = try await server.call(nil, "GET", p + "/alerts?state=firing&deployment=cancer").array
        #expect(alerts.contains { $0["kind"] as? String == "drift" && ($0["message"] as? String)?.contains("features drifted") == true }, "\(alerts)")
        let metrics = try await server.call(nil, "GET", "/metrics").text
        #expect(metrics.contains("kouzi_alert_firing{model=\"cancer\",kind=\"drift\"} 1"), "\(metrics.suffix(800))")
        #expect(metrics.contains("kouzi_monitoring_drifted_share{model=\"cancer\"}"))

        // Unshifted rows again: the window refills, the drift alert resolves and stays on record.
        try await send(server, heldOut)
        try await eventually("the drift alert's resolution") { try await firing(server).isEmpty }
        let resolved = try await server.call(nil, "GET", p + "/alerts?state=resolved").array
        #expect(resolved.contains { $0["kind"] as? String == "drift" && $0["resolvedAt"] as? Int != nil }, "\(resolved)")
        let evaluations = try await history(server)
        #expect(evaluations.contains { $0["drift"] as? Bool == true } && evaluations.last?["drift"] as? Bool == false)

        // Refused requests (a missing column) and values far out of range raise the data-quality alert.
        for _ in 0..<30 {
            var body = Self.request(heldOut[0..<2])
            body["inputs"] = Array((body["inputs"] as! [Any]).dropLast())
            #expect(try await server.call(nil, "POST", "/v2/models/cancer/infer", json: body).status == 400)
        }
        var wild = Array(heldOut.prefix(50))
        for i in wild.indices { wild[i][3] = 1e6 }
        try await send(server, wild)
        try await eventually("the data-quality alert") { try await firing(server).contains("data_quality") }
        let quality = try await server.call(nil, "GET", p + "/deployments/cancer/monitoring").object["report"] as? [String: Any] ?? [:]
        #expect(quality["qualityProblem"] as? Bool == true && (quality["rejectedRequests"] as? Int ?? 0) == 30, "\(quality["rejectedRequests"] ?? "")")
        #expect(((quality["features"] as? [[String: Any]])?[3]["outOfRangeShare"] as? Double ?? 0) > 0.3)

        // Bad settings and filters are refused with the field named.
        let bad = try await server.call(nil, "PUT", p + "/deployments/cancer/monitoring", json: ["bins": 1])
        #expect(bad.status == 400 && (bad.object["error"] as? String)?.contains("bins") == true)
        #expect(try await server.call(nil, "GET", p + "/alerts?state=open").status == 400)
        #expect(try await server.call(nil, "GET", p + "/deployments/nothing/monitoring").status == 404)

        let health = try await server.call(nil, "GET", "/api/v1/system/health").object
        #expect(health["status"] as? String == "degraded" && health["alertsFiring"] as? Int == 1 && health["database"] as? Bool == true)
        #expect((health["models"] as? [[String: Any]])?.first?["deployment"] as? String == "cancer")
        #expect((health["uptimeSeconds"] as? Double ?? 0) > 0 && (health["residentMemoryBytes"] as? Double ?? 0) > 1e6)
        #expect(try await server.call(server.client(token: nil), "GET", "/api/v1/system/health").status == 401)
        // Deleting the deployment resolves its alerts.
        #expect(try await server.call(nil, "DELETE", p + "/deployments/cancer").status == 204)
        #expect(try await firing(server).isEmpty)
        try await server.checkAgainstOpenAPI()
    }

    @Test func modelsStayWithinTheMemoryBudget() async throws {
        // Each 784-512-2 model is estimated at about 2.2 MiB (1.6 MB of weights and a batch of 64 rows of
        // activations): one fits in 3 MiB, two do not; a 784-1200-2 model alone does not.
        let server = try await TestServer(.sqlite, extraArguments: ["--model-memory-mib", "3"])
        defer { server.shutdown() }
        let model = try await server.call(nil, "POST", p + "/models", json: ["name": "big"]).object["id"] as! Int
        for hidden in [512, 512, 1200] {
            let version = try await server.call(nil, "POST", p + "/models/\(model)/versions",
                                                body: try Fixtures.modelPackage(inputs: 784, hidden: hidden), contentType: "application/zip")
            #expect(version.status == 201, "\(version.text)")
        }
        let row: [String: Any] = ["inputs": [["name": "input", "shape": [1, 784], "datatype": "FP32", "data": [Double](repeating: 0.5, count: 784)]]]
        func loaded() async throws -> [String] {
            try await server.call(nil, "GET", "/api/v1/system/health").object["models"].map { ($0 as? [[String: Any]] ?? []).compactMap { $0["deployment"] as? String } } ?? []
        }
        for (name, version) in [("a", "1"), ("b", "2"), ("c", "3")] {
            #expect(try await server.call(nil, "POST", p + "/deployments", json: ["name": name, "model": model, "version": version]).status == 201)
        }
        #expect(try await server.call(nil, "POST", "/v2/models/a/infer", json: row).status == 200)
        #expect(try await server.call(nil, "POST", "/v2/models/b/infer", json: row).status == 200)
        // Loading b unloaded a, the least recently used.
        #expect(try await loaded() == ["b"])
        let health = try await server.call(nil, "GET", "/api/v1/system/health").object
        #expect(health["modelMemoryBudgetBytes"] as? Int == 3 << 20 && (health["modelMemoryBytes"] as? Int ?? 0) <= 3 << 20, "\(health)")
        #expect(try await server.call(nil, "GET", p + "/deployments/a").object["state"] as? String == "unloaded")
        // A request for a loads it again (and unloads b).
        #expect(try await server.call(nil, "POST", "/v2/models/a/infer", json: row).status == 200)
        #expect(try await loaded() == ["a"])
        // c alone exceeds the budget: its load fails with the reason, and its requests get a 503 naming it.
        let refused = try await server.call(nil, "POST", "/v2/models/c/infer", json: row)
        #expect(refused.status == 503 && (refused.object["error"] as? String)?.contains("model memory budget is 3.0 MiB") == true, "\(refused.text)")
        let c = try await server.call(nil, "GET", p + "/deployments/c").object
        #expect(c["state"] as? String == "failed" && (c["error"] as? String)?.contains("needs about") == true, "\(c)")
        #expect(try await loaded() == ["a"])
        try await server.checkAgainstOpenAPI()
    }
}
