import Foundation
import Synchronization
import Testing

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
        // At most 4,096 rows a request.
        let many = 4097
        let tooMany = try await server.call(nil, "POST", "/v2/models/clusters/infer", json: rows(
            Array(repeating: 0.5, count: many), Array(repeating: 0.5, count: many), Array(repeating: "dark", count: many)))
        #expect(tooMany.status == 413 && tooMany.code == "too_many_rows", "\(tooMany.text)")
        let most = try await server.call(nil, "POST", "/v2/models/clusters/infer", json: rows(
            Array(repeating: 0.5, count: many - 1), Array(repeating: 0.5, count: many - 1), Array(repeating: "dark", count: many - 1)))
        #expect(most.status == 200, "\(most.text)")
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

    @Test func binaryTensorDataAnswersAsJSONDoes() async throws {
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        try await deployedClassifier(server)
        func le<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] { values.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } } }
        let x1 = le([Float(0.1), 3.0, 0.0].map(\.bitPattern)), x2 = le([0.0, 0.1, 3.1].map(\.bitPattern))
        let shade = ["dark", "light", "dark"].flatMap { le([UInt32($0.utf8.count)]) + Array($0.utf8) }
        func binaryInput(_ name: String, _ type: String, _ bytes: [UInt8]) -> [String: Any] {
            ["name": name, "shape": [3], "datatype": type, "parameters": ["binary_data_size": bytes.count]]
        }
        func send(_ header: [String: Any], _ binary: [UInt8], declared: String? = nil) async throws -> HTTPResult {
            let json = try JSONSerialization.data(withJSONObject: header)
            return try await server.call(nil, "POST", "/v2/models/clusters/infer", body: json + Data(binary),
                                         headers: ["Inference-Header-Content-Length": declared ?? String(json.count)])
        }
        let inputs = [binaryInput("x1", "FP32", x1), binaryInput("x2", "FP64", x2), binaryInput("shade", "BYTES", shade)]
        let reference = try await server.call(nil, "POST", "/v2/models/clusters/infer",
                                              json: rows([0.1, 3.0, 0.0], [0.0, 0.1, 3.1], ["dark", "light", "dark"]))
        // Binary in, JSON out: the same answer as JSON in.
        let jsonOut = try await send(["inputs": inputs], x1 + x2 + shade)
        #expect(jsonOut.status == 200 && jsonOut.headers["content-type"] == "application/json", "\(jsonOut.text)")
        #expect(NSDictionary(dictionary: jsonOut.object["outputs"].map { ["o": $0] } ?? [:])
            == NSDictionary(dictionary: reference.object["outputs"].map { ["o": $0] } ?? [:]))
        // Binary out: the class ids as INT64 bytes after the JSON header.
        let binaryOut = try await send(["inputs": inputs, "outputs": [["name": "class_id", "parameters": ["binary_data": true]]]],
                                       x1 + x2 + shade)
        #expect(binaryOut.status == 200 && binaryOut.headers["content-type"] == "application/octet-stream")
        let length = try #require(binaryOut.headers["inference-header-content-length"].flatMap { Int($0) })
        let header = try #require(try JSONSerialization.jsonObject(with: binaryOut.body.prefix(length)) as? [String: Any])
        let output = try #require((header["outputs"] as? [[String: Any]])?.first)
        #expect(output["data"] == nil && (output["parameters"] as? [String: Any])?["binary_data_size"] as? Int == 24)
        #expect(Array(binaryOut.body.dropFirst(length)) == le([Int64(0), 1, 2]))
        // Malformed binary bodies are 400s that say what is wrong.
        func refused(_ result: HTTPResult, _ fragment: String) {
            #expect(result.status == 400 && (result.object["error"] as? String ?? "").contains(fragment), "\(result.status) \(result.text)")
        }
        refused(try await send(["inputs": inputs], x1 + x2), "binary_data_size is 25 but only 0 bytes")
        refused(try await send(["inputs": inputs], x1 + x2 + shade + [0]), "1 bytes follow")
        #expect(try await send(["inputs": inputs], x1 + x2).code == "invalid_tensor_data")
        refused(try await send(["inputs": inputs], x1 + x2 + shade, declared: "many"), "should be a byte count")
        refused(try await send(["inputs": inputs], x1 + x2 + shade, declared: "999999"), "but the body has")
        refused(try await server.call(nil, "POST", "/v2/models/clusters/infer", json: ["inputs": inputs]),
                "no Inference-Header-Content-Length header")
        let zipped = try await server.call(nil, "POST", "/v2/models/clusters/infer", body: Data("{}".utf8), contentType: "application/json",
                                           headers: ["Content-Encoding": "gzip"])
        #expect(zipped.status == 415 && zipped.code == "unsupported_media_type")
        try await server.checkAgainstOpenAPI()
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["KOUZI_SKIP_TRITON"] != "1", "KOUZI_SKIP_TRITON=1"))
    func theStockTritonClientCallsInfer() async throws {
        let probe = try await MLflowClientTests.python(["-c", "import tritonclient.http"])
        try #require(probe.status == 0, "python3 cannot import tritonclient.http (run scripts/setup.sh, or set KOUZI_SKIP_TRITON=1): \(probe.output)")
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        try await deployedClassifier(server)
        let run = try await MLflowClientTests.python(["scripts/triton_client_check.py", "127.0.0.1:\(server.process.port)",
                                                server.admin.token!, "clusters"])
        #expect(run.status == 0, "\(run.output)")
    }
}

extension ServingTests {
    @Test func concurrentRequestsAreBatchedWithTheAnswersOfSingleOnesAndCounted() async throws {
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        try await deployedClassifier(server)
        var points: [(Double, Double, String)] = []
        for i in 0..<48 {
            let shade = i % 2 == 0 ? "dark" : "light"
            points.append((Double(i % 7) * 0.5, Double(i % 5) * 0.7, shade))
        }
        let fixed = points
        @Sendable func body(_ i: Int) -> Data {
            try! JSONSerialization.data(withJSONObject: rows([fixed[i].0], [fixed[i].1], [fixed[i].2], id: "r\(i)"))
        }
        @Sendable func probabilities(_ data: Data) -> [Double] {
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
            let outputs = object?["outputs"] as? [[String: Any]] ?? []
            return outputs.first { $0["name"] as? String == "probabilities" }?["data"] as? [Double] ?? []
        }
        let port = server.process.port, token = server.admin.token!
        // One at a time: each request is a batch of its own.
        let count = fixed.count
        let alone = await offPool {
            (0..<count).map { i in
                probabilities(RawSocket.request(port: port, method: "POST", path: "/v2/models/clusters/infer", token: token, body: body(i)).body)
            }
        }
        // All at once from 16 threads: the batcher stacks them.
        let batched = await offPool { () -> [Int: [Double]] in
            let together = Mutex<[Int: [Double]]>([:])
            let group = DispatchGroup()
            for t in 0..<16 {
                group.enter()
                Thread {
                    for i in stride(from: t, to: count, by: 16) {
                        let answer = RawSocket.request(port: port, method: "POST", path: "/v2/models/clusters/infer", token: token, body: body(i))
                        together.withLock { $0[i] = probabilities(answer.body) }
                    }
                    group.leave()
                }.start()
            }
            group.wait()
            return together.withLock { $0 }
        }
        for i in 0..<points.count {
            #expect(alone[i].count == 3 && batched[i]?.count == 3)
            #expect(zip(alone[i], batched[i] ?? []).allSatisfy { abs($0 - $1) <= 1e-6 }, "row \(i): \(alone[i]) vs \(batched[i] ?? [])")
        }
        // Who sees what: /metrics and the loaded models of the health report name deployments, so a stranger to
        // project 1 gets neither; an anonymous scraper is refused.
        #expect(try await server.call(server.client(token: nil), "GET", "/metrics").status == 401)
        let stranger = try await server.call(nil, "POST", "/api/v1/users", json: ["name": "stranger"]).object["id"] as! Int
        let strangerToken = try await server.call(nil, "POST", "/api/v1/tokens", json: ["name": "s", "role": "admin", "userID": stranger])
        let strangerClient = server.client(token: strangerToken.object["secret"] as? String)
        #expect(try await server.call(strangerClient, "GET", "/metrics").status == 403)
        let strangersHealth = try await server.call(strangerClient, "GET", "/api/v1/system/health")
        #expect(strangersHealth.status == 200 && (strangersHealth.object["models"] as? [Any])?.isEmpty == true, "\(strangersHealth.text)")
        #expect(!strangersHealth.text.contains("clusters"))
        let adminsHealth = try await server.call(nil, "GET", "/api/v1/system/health")
        #expect((adminsHealth.object["models"] as? [[String: Any]])?.map { $0["deployment"] as? String } == ["clusters"], "\(adminsHealth.text)")
        let metrics = try await server.call(nil, "GET", "/metrics")
        let contentType = metrics.headers.first { $0.key.lowercased() == "content-type" }?.value ?? ""
        #expect(metrics.status == 200 && contentType.hasPrefix("text/plain"), "\(contentType)")
        let text = metrics.text
        #expect(text.contains("kouzi_inference_requests_total{model=\"clusters\",version=\"1\",variant=\"\",status=\"success\"} 96"), "\(text.prefix(2000))")
        #expect(text.contains("# TYPE kouzi_inference_queue_seconds histogram") && text.contains("kouzi_inference_compute_seconds_bucket"))
        #expect(text.contains("kouzi_models_loaded 1") && text.contains("process_resident_memory_bytes"))
        func value(_ prefix: String) -> Double {
            text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
        }
        // Every row went through one counted forward pass. Whether concurrent requests shared one depends on timing
        // (a lone request with a quick model runs at once on its own); that they do when they overlap is
        // BatcherTests' part, where the model holds its first pass until the others have queued.
        let passes = value("kouzi_inference_batch_rows_count{model=\"clusters\"}")
        let rowsServed = value("kouzi_inference_batch_rows_sum{model=\"clusters\"}")
        #expect(rowsServed >= 96 && passes >= 1 && passes <= 96, "\(passes) passes for \(rowsServed) rows")
        _ = try await server.call(nil, "POST", "/v2/models/clusters/infer", json: ["inputs": []])
        #expect(try await server.call(nil, "GET", "/metrics").text
            .contains("kouzi_inference_requests_total{model=\"clusters\",version=\"1\",variant=\"\",status=\"badRequest\"} 1"))
    }

    @Test func theTensorFlowServingPredictAPIAnswersRowsAndColumns() async throws {
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        try await deployedClassifier(server)
        let rowsBody: [String: Any] = ["instances": [["x1": 0.1, "x2": 0.0, "shade": "dark"], ["x1": 3.0, "x2": 0.1, "shade": "light"]]]
        let byRows = try await server.call(nil, "POST", "/v1/models/clusters:predict", json: rowsBody)
        #expect(byRows.status == 200, "\(byRows.text)")
        let predictions = byRows.object["predictions"] as? [[String: Any]] ?? []
        #expect(predictions.compactMap { $0["label"] as? String } == ["a", "b"])
        #expect((predictions.first?["probabilities"] as? [Double])?.count == 3)
        let byColumns = try await server.call(nil, "POST", "/v1/models/clusters:predict",
                                              json: ["inputs": ["x1": [0.0], "x2": [3.1], "shade": ["dark"]]])
        #expect((byColumns.object["predictions"] as? [[String: Any]])?.first?["label"] as? String == "c", "\(byColumns.text)")
        let lacking = try await server.call(nil, "POST", "/v1/models/clusters:predict", json: ["instances": [["x1": 1.0]]])
        #expect(lacking.status == 400 && lacking.text.contains("lacks 'x2'"))
        #expect(try await server.call(nil, "POST", "/v1/models/clusters:explain", json: rowsBody).status == 404)
        #expect(try await server.call(nil, "POST", "/v1/models/nothing:predict", json: rowsBody).status == 404)
        try await server.checkAgainstOpenAPI()
    }
}

extension ServingTests {
    @Test(arguments: Backend.available)
    func anABSplitFollowsItsWeightsKeepsKeysOnOneVariantShadowsAndPromotes(_ backend: Backend) async throws {
        let server = try await TestServer(backend)
        defer { server.shutdown() }
        try await deployedClassifier(server, versions: 3)
        let split = "/api/v1/projects/1/deployments/clusters/split"
        for bad: [[String: Any]] in [
            [["name": "a", "version": "9", "weight": 1]],
            [["name": "a", "version": "1", "weight": 0]],
            [["name": "a", "version": "1"], ["name": "a", "version": "2"]],
            [["name": "a", "version": "1"], ["name": "s", "version": "2", "weight": 5, "shadow": true]],
        ] {
            let refused = try await server.call(nil, "PUT", split, json: ["variants": bad])
            #expect(refused.status == 400, "\(bad): \(refused.text)")
        }
        let set = try await server.call(nil, "PUT", split, json: ["variants": [
            ["name": "control", "version": "1", "weight": 90], ["name": "candidate", "version": "2", "weight": 10],
            ["name": "shadow", "version": "3", "shadow": true],
        ]])
        #expect(set.status == 200 && (set.object["variants"] as? [[String: Any]])?.count == 3, "\(set.text)")
        let port = server.process.port, token = server.admin.token!
        let centres: [(Double, Double, String)] = [(0, 0, "a"), (3, 0, "b"), (0, 3, "c")]
        @Sendable func ask(_ i: Int, key: String?) -> (variant: String, id: String, label: String, truth: String) {
            let c = centres[i % 3]
            var body = rows([c.0], [c.1], ["dark"])
            if let key { body["parameters"] = ["routing_key": key] }
            let answer = RawSocket.request(port: port, method: "POST", path: "/v2/models/clusters/infer", token: token,
                                           body: try! JSONSerialization.data(withJSONObject: body))
            let object = (try? JSONSerialization.jsonObject(with: answer.body)) as? [String: Any] ?? [:]
            let label = ((object["outputs"] as? [[String: Any]])?.first { $0["name"] as? String == "label" }?["data"] as? [String])?.first ?? ""
            return ((object["parameters"] as? [String: Any])?["variant"] as? String ?? "status \(answer.status)",
                    object["id"] as? String ?? "", label, c.2)
        }
        // 10,000 requests with distinct routing keys: within a point of 90/10.
        let all = await offPool { () -> [(variant: String, id: String, label: String, truth: String)] in
            let answers = Mutex<[(variant: String, id: String, label: String, truth: String)]>([])
            DispatchQueue.concurrentPerform(iterations: 10_000) { i in
                let answer = ask(i, key: "user-\(i)")
                answers.withLock { $0.append(answer) }
            }
            return answers.withLock { $0 }
        }
        let control = Double(all.filter { $0.variant == "control" }.count) / Double(all.count)
        #expect(abs(control - 0.9) <= 0.01, "control got \(control)")
        #expect(all.allSatisfy { $0.variant == "control" || $0.variant == "candidate" }, "\(Set(all.map(\.variant)))")
        #expect(Set(all.map(\.id)).count == all.count, "every answer carries its own request id")
        // Sticky keys: the same key, the same variant, every time.
        let sticky = await offPool { (0..<30).map { k in Set((0..<8).map { ask($0, key: "sticky-\(k)").variant }) } }
        for (k, seen) in sticky.enumerated() {
            #expect(seen.count == 1, "key sticky-\(k) went to \(seen)")
        }
        // Feedback on 600 answers: the true class of each point.
        let feedback = try await server.call(nil, "POST", "/api/v1/projects/1/deployments/clusters/feedback", json: [
            "feedback": all.prefix(600).map { ["requestId": $0.id, "label": $0.truth] } + [["requestId": "nope", "label": "a"]],
        ])
        #expect(feedback.object["updated"] as? Int == 600 && feedback.object["unknown"] as? [String] == ["nope"], "\(feedback.text)")
        var stats: [[String: Any]] = []
        for _ in 0..<50 {
            stats = try await server.call(nil, "GET", split).array
            if (stats.first { $0["name"] as? String == "shadow" }?["labelled"] as? Int ?? 0) >= 600 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let byName = Dictionary(uniqueKeysWithValues: stats.map { ($0["name"] as! String, $0) })
        #expect((byName["control"]?["requests"] as? Int ?? 0) > 8000 && (byName["candidate"]?["requests"] as? Int ?? 0) > 500)
        #expect((byName["shadow"]?["requests"] as? Int ?? 0) >= 10_000, "the shadow saw a copy of each request: \(stats)")
        #expect((byName["control"]?["labelled"] as? Int ?? 0) + (byName["candidate"]?["labelled"] as? Int ?? 0) == 600)
        #expect((byName["control"]?["accuracy"] as? Double ?? 0) > 0.95)
        #expect(byName["candidate"]?["pValue"] != nil && byName["control"]?["pValue"] == nil)
        let low = byName["control"]?["accuracyLow"] as? Double ?? 1, high = byName["control"]?["accuracyHigh"] as? Double ?? 0
        #expect(low <= (byName["control"]?["accuracy"] as? Double ?? -1) && high >= low)
        let metrics = try await server.call(nil, "GET", "/metrics").text
        #expect(metrics.contains("variant=\"shadow\",status=\"success\"") && metrics.contains("variant=\"candidate\",status=\"success\""))

        let promoted = try await server.call(nil, "POST", "/api/v1/projects/1/deployments/clusters/promote", json: ["variant": "candidate"])
        #expect(promoted.status == 200 && promoted.object["version"] as? Int == 2 && promoted.object["variants"] == nil, "\(promoted.text)")
        try await waitReady(server, "clusters", version: 2)
        let after = try await server.call(nil, "POST", "/v2/models/clusters/infer", json: rows([0.1], [0.0], ["dark"]))
        #expect(after.object["model_version"] as? String == "2" && after.object["parameters"] == nil)
        try await server.checkAgainstOpenAPI()
    }
}
