import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Deployments and the Open Inference Protocol (KServe V2 REST): every endpoint, every datatype, the error cases,
/// version swaps that fail no request, and the stock tritonclient.
@Suite("Serving")
struct ServingTests {
    let p = "/api/v1/projects/1"

    /// Trains the clusters classifier as model 1 version `count` times over (seeds 1…count) and deploys version 1.
    func deployedClassifier(_ server: TestServer, versions: Int = 1) async throws {
        let dataset = try await JobFixtures.uploadCSV(server, name: "clusters", JobFixtures.clustersCSV(rows: 300))
        for seed in 1...versions {
            let job = try await server.call(nil, "POST", p + "/jobs", json: [
                "template": "mlp_classifier", "target": "label", "dataset": ["id": dataset, "version": 1], "seed": seed,
                "hyperparameters": ["epochs": 30, "units": 16], "model": "clusters",
            ])
            let done = try await JobFixtures.waitForJob(server, job.object["id"] as! Int)
            #expect(done["state"] as? String == "succeeded", "\(done)")
        }
        let deployment = try await server.call(nil, "POST", p + "/deployments", json: ["name": "clusters", "model": 1, "version": "1"])
        #expect(deployment.status == 201, "\(deployment.text)")
        try await waitReady(server, "clusters")
    }

    func waitReady(_ server: TestServer, _ name: String, version: Int? = nil) async throws {
        let path = "/v2/models/\(name)" + (version.map { "/versions/\($0)" } ?? "") + "/ready"
        for _ in 0..<300 {
            if try await server.call(nil, "GET", path).status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("\(name) was not ready within 30 s")
    }

    func rows(_ x1: [Double], _ x2: [Double], _ shade: [String], id: String? = nil, outputs: [String]? = nil) -> [String: Any] {
        var body: [String: Any] = ["inputs": [
            ["name": "x1", "shape": [x1.count], "datatype": "FP32", "data": x1],
            ["name": "x2", "shape": [x2.count], "datatype": "FP64", "data": x2],
            ["name": "shade", "shape": [shade.count], "datatype": "BYTES", "data": shade],
        ]]
        if let id { body["id"] = id }
        if let outputs { body["outputs"] = outputs.map { ["name": $0] } }
        return body
    }

    @Test(arguments: Backend.available)
    func everyV2EndpointAnswersAndBadInputGetsA4xx(_ backend: Backend) async throws {
        let server = try await TestServer(backend)
        defer { server.shutdown() }
        try await deployedClassifier(server)
        let anonymous = server.client(token: nil)
        #expect(try await server.call(anonymous, "GET", "/v2/health/live").object["live"] as? Bool == true)
        #expect(try await server.call(anonymous, "GET", "/v2/health/ready").object["ready"] as? Bool == true)
        let meta = try await server.call(anonymous, "GET", "/v2").object
        #expect(meta["name"] as? String == "kouzi" && meta["extensions"] != nil)
        let model = try await server.call(nil, "GET", "/v2/models/clusters").object
        #expect(model["versions"] as? [String] == ["1"] && model["platform"] as? String == "kouzi")
        #expect((model["inputs"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["x1", "x2", "shade"])
        #expect(try await server.call(nil, "GET", "/v2/models/clusters/versions/1").status == 200)
        #expect(try await server.call(nil, "GET", "/v2/models/clusters/versions/1/ready").status == 200)

        let answer = try await server.call(nil, "POST", "/v2/models/clusters/infer",
                                           json: rows([0.1, 3.0, 0.0], [0.0, 0.1, 3.1], ["dark", "light", "dark"], id: "q1"))
        #expect(answer.status == 200, "\(answer.text)")
        #expect(answer.object["id"] as? String == "q1" && answer.object["model_name"] as? String == "clusters")
        #expect(answer.object["model_version"] as? String == "1")
        let outputs = answer.object["outputs"] as? [[String: Any]] ?? []
        #expect(outputs.first { $0["name"] as? String == "label" }?["data"] as? [String] == ["a", "b", "c"])
        let probabilities = outputs.first { $0["name"] as? String == "probabilities" }
        #expect(probabilities?["shape"] as? [Int] == [3, 3] && probabilities?["datatype"] as? String == "FP32")
        let versioned = try await server.call(nil, "POST", "/v2/models/clusters/versions/1/infer",
                                              json: rows([3.0], [0.0], ["dark"], outputs: ["class_id"]))
        let only = versioned.object["outputs"] as? [[String: Any]] ?? []
        #expect(only.count == 1 && only[0]["data"] as? [Int] == [1] && only[0]["datatype"] as? String == "INT64")
        // Integer and nested data: x1 as INT32 [[0], [3]] ([2, 1]) reads the same rows.
        let nested = try await server.call(nil, "POST", "/v2/models/clusters/infer", json: ["inputs": [
            ["name": "x1", "shape": [2, 1], "datatype": "INT32", "data": [[0], [3]]],
            ["name": "x2", "shape": [2, 1], "datatype": "FP32", "data": [[0], [0]]],
            ["name": "shade", "shape": [2, 1], "datatype": "BYTES", "data": [["dark"], ["light"]]],
        ], "outputs": [["name": "label"]]])
        #expect((nested.object["outputs"] as? [[String: Any]])?.first?["data"] as? [String] == ["a", "b"], "\(nested.text)")

        func refused(_ body: Any, _ status: Int, _ fragment: String, path: String = "/v2/models/clusters/infer") async throws {
            let r = try await server.call(nil, "POST", path, json: body)
            #expect(r.status == status && (r.object["error"] as? String ?? "").contains(fragment), "\(status) \(fragment): \(r.status) \(r.text)")
        }
        var wrongLength = rows([0.1, 3.0], [0.0, 0.1], ["dark", "light"])
        wrongLength["inputs"] = [["name": "x1", "shape": [3], "datatype": "FP32", "data": [1, 2]]] + (wrongLength["inputs"] as! [Any]).dropFirst()
        try await refused(wrongLength, 400, "holds 3 elements but data has 2")
        var mismatched = rows([0.1, 3.0], [0.0, 0.1], ["dark", "light"])
        mismatched["inputs"] = [["name": "x1", "shape": [1], "datatype": "FP32", "data": [1]]] + (mismatched["inputs"] as! [Any]).dropFirst()
        try await refused(mismatched, 400, "does not hold one value for each of 1 rows")
        var textForNumber = rows([0.1], [0.0], ["dark"])
        textForNumber["inputs"] = [["name": "x1", "shape": [1], "datatype": "BYTES", "data": ["one"]]] + (textForNumber["inputs"] as! [Any]).dropFirst()
        try await refused(textForNumber, 400, "the column is numeric")
        var badType = rows([0.1], [0.0], ["dark"])
        badType["inputs"] = [["name": "x1", "shape": [1], "datatype": "FP8", "data": [1]]] + (badType["inputs"] as! [Any]).dropFirst()
        try await refused(badType, 400, "datatype 'FP8'")
        var nan = rows([0.1], [0.0], ["dark"])
        nan["inputs"] = [["name": "x1", "shape": [1], "datatype": "FP32", "data": ["NaN"]]] + (nan["inputs"] as! [Any]).dropFirst()
        try await refused(nan, 400, "FP32 data must be numbers")
        var overflow = rows([0.1], [0.0], ["dark"])
        overflow["inputs"] = [["name": "x1", "shape": [1], "datatype": "INT8", "data": [300]]] + (overflow["inputs"] as! [Any]).dropFirst()
        try await refused(overflow, 400, "INT8 data must be whole numbers")
        try await refused(["inputs": [["name": "x1", "shape": [1], "datatype": "FP32", "data": [1]]]], 400, "missing input 'x2'")
        try await refused(rows([0.1], [0.0], ["dark"], outputs: ["logits"]), 400, "unknown output 'logits'")
        try await refused(["inputs": []], 400, "no inputs")
        try await refused(rows([0.1], [0.0], ["dark"]), 404, "not found", path: "/v2/models/nothing/infer")
        try await refused(rows([0.1], [0.0], ["dark"]), 404, "serves version 1, not 7", path: "/v2/models/clusters/versions/7/infer")
        #expect(try await server.call(nil, "GET", "/v2/models/clusters/versions/7/ready").status == 404)
        #expect(try await server.call(nil, "GET", "/v2/models/nothing").status == 404)
        let malformed = try await server.call(nil, "POST", "/v2/models/clusters/infer", body: Data("{\"inputs\": [".utf8),
                                              contentType: "application/json")
        #expect(malformed.status == 400 && malformed.object["error"] != nil)
        // JSON bodies are limited to 4 MiB.
        let big = try await server.call(nil, "POST", "/v2/models/clusters/infer",
                                        body: Data(("{\"inputs\": [" + String(repeating: " ", count: 5 << 20) + "]}").utf8),
                                        contentType: "application/json")
        #expect(big.status == 413 && big.object["error"] != nil, "\(big.status)")
        #expect(try await server.call(server.client(token: nil), "POST", "/v2/models/clusters/infer", json: rows([0.1], [0.0], ["dark"])).status == 401)
        // Still serving after all that.
        #expect(try await server.call(nil, "POST", "/v2/models/clusters/infer", json: rows([0.1], [0.0], ["dark"])).status == 200)
        try await server.checkAgainstOpenAPI()
    }

    @Test(arguments: Backend.available)
    func aVersionSwapUnderLoadFailsNoRequestAndAFailedLoadKeepsTheOldVersion(_ backend: Backend) async throws {
        let server = try await TestServer(backend)
        defer { server.shutdown() }
        try await deployedClassifier(server, versions: 3)
        // Requests keep flowing while the deployment moves to version 2.
        let traffic = Task { () -> [Int] in
            var statuses: [Int] = []
            for _ in 0..<150 {
                statuses.append(try await server.call(nil, "POST", "/v2/models/clusters/infer", json: rows([0.1], [0.0], ["dark"])).status)
            }
            return statuses
        }
        try await Task.sleep(for: .milliseconds(100))
        let moved = try await server.call(nil, "PUT", p + "/deployments/clusters", json: ["version": "2"])
        #expect(moved.status == 200 && moved.object["version"] as? Int == 2, "\(moved.text)")
        try await waitReady(server, "clusters", version: 2)
        let statuses = try await traffic.value
        #expect(statuses.allSatisfy { $0 == 200 }, "every request answered: \(Set(statuses))")
        let after = try await server.call(nil, "POST", "/v2/models/clusters/infer", json: rows([0.1], [0.0], ["dark"]))
        #expect(after.object["model_version"] as? String == "2")

        // Version 3's package is damaged on disk: its load fails and version 2 keeps answering.
        let version3 = try await server.call(nil, "GET", p + "/models/1/versions/3").object
        let sha = version3["packageSHA256"] as! String
        let file = server.process.dataDirectory.appendingPathComponent("artifacts/sha256/\(sha.prefix(2))/\(sha)")
        var bytes = try Data(contentsOf: file)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: file)
        #expect(try await server.call(nil, "PUT", p + "/deployments/clusters", json: ["version": "3"]).status == 200)
        var state: [String: Any] = [:]
        for _ in 0..<100 {
            state = try await server.call(nil, "GET", p + "/deployments/clusters").object
            if state["state"] as? String == "failed" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(state["state"] as? String == "failed" && state["servingVersion"] as? Int == 2, "\(state)")
        #expect((state["error"] as? String ?? "").contains("version 3"))
        let still = try await server.call(nil, "POST", "/v2/models/clusters/infer", json: rows([0.1], [0.0], ["dark"]))
        #expect(still.status == 200 && still.object["model_version"] as? String == "2")
        // Undeploy.
        #expect(try await server.call(nil, "DELETE", p + "/deployments/clusters").status == 204)
        #expect(try await server.call(nil, "GET", "/v2/models/clusters").status == 404)
        try await server.checkAgainstOpenAPI()
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["KOUZI_SKIP_TRITON"] != "1", "KOUZI_SKIP_TRITON=1"))
    func theStockTritonClientCallsInfer() async throws {
        let probe = try MLflowClientTests.python(["-c", "import tritonclient.http"])
        try #require(probe.status == 0, "python3 cannot import tritonclient.http (run scripts/setup.sh, or set KOUZI_SKIP_TRITON=1): \(probe.output)")
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        try await deployedClassifier(server)
        let run = try MLflowClientTests.python(["scripts/triton_client_check.py", "127.0.0.1:\(server.process.port)",
                                                server.admin.token!, "clusters"])
        #expect(run.status == 0, "\(run.output)")
    }
}
