import Foundation
@testable import KouziPlatform
import Logging
import Testing

/// Experiment tracking: the core service the training jobs call, Kouzi's own tracking API, and the MLflow REST
/// API's JSON and error behaviour, on every backend.
@Suite("Tracking", .serialized)
struct TrackingTests {
    static let mlflow = "/mlflow/projects/default/api/2.0/mlflow"

    /// Sends an MLflow call (not recorded for the OpenAPI check: these routes speak MLflow's protocol).
    static func send(_ server: TestServer, _ method: String, _ path: String, _ json: [String: Any]? = nil,
                     client: HTTPTestClient? = nil) async throws -> HTTPResult {
        try await (client ?? server.admin).send(method, mlflow + path, json: json)
    }

    @Test(arguments: Backend.available)
    func coreServiceCalls(_ backend: Backend) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kouzi-tracking-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let platform = try await Platform.open(PlatformConfiguration(dataDirectory: directory,
                                                                     databaseURL: try await backend.freshDatabase()),
                                               logger: Logger(label: "test"))
        defer { Task { await platform.close() } }
        _ = try await platform.accounts.bootstrap()
        let tracking = platform.tracking
        let (experiment, runID) = try await platform.store.write { tx in
            let experiment = try await tracking.experimentID(tx, projectID: 1, name: "jobs")
            #expect(try await tracking.experimentID(tx, projectID: 1, name: "jobs") == experiment)
            let run = try await tracking.createRun(tx, projectID: 1, experimentID: experiment, name: "job-1", userID: 1,
                                                   startTime: 1000, params: ["lr": "0.1"], tags: ["kouzi.job": "1"])
            return (experiment, run)
        }
        #expect(runID.count == 32 && runID.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        try await tracking.logMetrics(runID: runID, (0..<5).map { MetricPoint(key: "loss", value: 1.0 / Double($0 + 1), timestamp: 2000 + Int64($0), step: Int64($0)) })
        try await tracking.deleteMetrics(runID: runID, afterStep: 2)
        #expect(try await tracking.metricHistory(runID: runID, key: "loss").map(\.step) == [0, 1, 2])
        try await tracking.logMetrics(runID: runID, [MetricPoint(key: "loss", value: 0.2, timestamp: 3000, step: 3)])
        #expect(try await tracking.metricHistory(runID: runID, key: "loss").map(\.value) == [1, 0.5, 1.0 / 3, 0.2])
        try await tracking.setTags(runID: runID, ["phase": "done"])
        try await tracking.putArtifact(runID: runID, path: "model/summary.txt", data: Data("ok".utf8))
        await #expect(throws: PlatformError.self) { try await tracking.finishRun(runID: runID, status: "DONE", endTime: 4000) }
        try await tracking.finishRun(runID: runID, status: "FINISHED", endTime: 4000)
        await #expect(throws: PlatformError.self) { try await tracking.logMetrics(runID: "nope", []) }

        let admin = try await platform.accounts.authenticate(secret: try await Self.adminSecret(platform))
        let run = try await tracking.run(admin, projectID: 1, runID: runID)
        #expect(run.status == "FINISHED" && run.endTime == 4000 && run.experimentID == experiment)
        #expect(run.params == ["lr": "0.1"] && run.tags == ["kouzi.job": "1", "phase": "done", "mlflow.runName": "job-1"])
        #expect(run.latestMetrics == [MetricPoint(key: "loss", value: 0.2, timestamp: 3000, step: 3)])
        #expect(try await tracking.artifacts(admin, projectID: 1, runID: runID).map(\.path) == ["model/summary.txt"])
        // Parameters are immutable: the same value again is fine, another one is refused.
        try await tracking.log(admin, projectID: 1, runID: runID, params: ["lr": "0.1"])
        await #expect(throws: PlatformError.self) { try await tracking.log(admin, projectID: 1, runID: runID, params: ["lr": "0.2"]) }
    }

    /// A fresh admin token (the bootstrap token's secret was only printed).
    static func adminSecret(_ platform: Platform) async throws -> String {
        try await platform.store.write { tx in
            try await AccountService.insertToken(tx, userID: 1, name: "test", role: .admin).secret
        }
    }

    @Test(arguments: Backend.available)
    func kouziAPIAndMLflowJSON(_ backend: Backend) async throws {
        let server = try await TestServer(backend)
        defer { server.shutdown() }
        let p = "/api/v1/projects/1"

        // Kouzi's API: experiments.
        let created = try await server.call(nil, "POST", p + "/experiments", json: ["name": "churn", "tags": ["team": "growth"]])
        #expect(created.status == 201, "\(created.text)")
        let experimentID = created.object["id"] as! Int
        #expect(try await server.call(nil, "POST", p + "/experiments", json: ["name": "churn"]).code == "experiment_exists")
        #expect(try await server.call(nil, "GET", p + "/experiments").array.map { $0["name"] as? String } == ["churn"])

        // MLflow: experiments by id and name, errors in MLflow's shape.
        let byName = try await Self.send(server, "GET", "/experiments/get-by-name?experiment_name=churn")
        let experiment = byName.object["experiment"] as? [String: Any]
        #expect(experiment?["experiment_id"] as? String == String(experimentID))
        #expect(experiment?["artifact_location"] as? String == "mlflow-artifacts:/\(experimentID)")
        let missing = try await Self.send(server, "GET", "/experiments/get?experiment_id=424242")
        #expect(missing.status == 404 && missing.object["error_code"] as? String == "RESOURCE_DOES_NOT_EXIST")
        let duplicate = try await Self.send(server, "POST", "/experiments/create", ["name": "churn"])
        #expect(duplicate.status == 400 && duplicate.object["error_code"] as? String == "RESOURCE_ALREADY_EXISTS")
        let noName = try await Self.send(server, "POST", "/experiments/create", [:])
        #expect(noName.status == 400 && noName.object["error_code"] as? String == "INVALID_PARAMETER_VALUE")
        #expect((noName.object["message"] as? String)?.contains("name") == true)

        // Runs: create, log, metric history in step order, param immutability, bad values.
        let run = try await Self.send(server, "POST", "/runs/create",
                                      ["experiment_id": String(experimentID), "run_name": "baseline", "start_time": 1000,
                                       "tags": [["key": "mlflow.user", "value": "ana"]]])
        #expect(run.status == 200, "\(run.text)")
        let runID = ((run.object["run"] as? [String: Any])?["info"] as? [String: Any])?["run_id"] as! String
        for (step, value) in [(2, 0.3), (0, 0.9), (1, 0.5)] {
            let logged = try await Self.send(server, "POST", "/runs/log-metric",
                                              ["run_id": runID, "key": "loss", "value": value, "timestamp": 5000 - step, "step": step])
            #expect(logged.status == 200, "\(logged.text)")
        }
        let batch = try await Self.send(server, "POST", "/runs/log-batch",
                                        ["run_id": runID, "params": [["key": "lr", "value": "0.01"]],
                                         "metrics": [["key": "acc", "value": 0.9, "timestamp": 6000, "step": 2]],
                                         "tags": [["key": "team", "value": "growth"]]])
        #expect(batch.status == 200, "\(batch.text)")
        let changed = try await Self.send(server, "POST", "/runs/log-parameter", ["run_id": runID, "key": "lr", "value": "0.02"])
        #expect(changed.status == 400 && changed.object["error_code"] as? String == "INVALID_PARAMETER_VALUE")
        #expect(try await Self.send(server, "POST", "/runs/log-parameter", ["run_id": runID, "key": "lr", "value": "0.01"]).status == 200)
        let badValue = try await Self.send(server, "POST", "/runs/log-metric", ["run_id": runID, "key": "loss", "value": "high", "timestamp": 1])
        #expect(badValue.status == 400 && badValue.object["error_code"] as? String == "INVALID_PARAMETER_VALUE")
        let noValue = try await Self.send(server, "POST", "/runs/log-metric", ["run_id": runID, "key": "loss"])
        #expect(noValue.status == 400 && noValue.object["error_code"] as? String == "INVALID_PARAMETER_VALUE")
        let badKey = try await Self.send(server, "POST", "/runs/log-metric", ["run_id": runID, "key": "../x", "value": 1])
        #expect(badKey.status == 400 && badKey.object["error_code"] as? String == "INVALID_PARAMETER_VALUE")
        let unknownRun = try await Self.send(server, "POST", "/runs/log-metric", ["run_id": String(repeating: "0", count: 32), "key": "loss", "value": 1])
        #expect(unknownRun.status == 404 && unknownRun.object["error_code"] as? String == "RESOURCE_DOES_NOT_EXIST")
        let notJSON = try await server.admin.send("POST", Self.mlflow + "/runs/log-metric", body: Data("{".utf8), contentType: "application/json")
        #expect(notJSON.status == 400 && notJSON.object["error_code"] as? String == "INVALID_PARAMETER_VALUE")
        let unknownRoute = try await Self.send(server, "POST", "/traces/search")
        #expect(unknownRoute.status == 404 && unknownRoute.object["error_code"] as? String == "ENDPOINT_NOT_FOUND")
        let wrongMethod = try await Self.send(server, "GET", "/runs/create")
        #expect(wrongMethod.status == 405 && wrongMethod.object["error_code"] as? String == "ENDPOINT_NOT_FOUND")
        let history = try await Self.send(server, "GET", "/metrics/get-history?run_id=\(runID)&metric_key=loss")
        #expect((history.object["metrics"] as? [[String: Any]])?.map { $0["step"] as? Int } == [0, 1, 2])
        let updated = try await Self.send(server, "POST", "/runs/update", ["run_id": runID, "status": "FINISHED", "end_time": 7000])
        #expect((updated.object["run_info"] as? [String: Any])?["status"] as? String == "FINISHED")
        let badStatus = try await Self.send(server, "POST", "/runs/update", ["run_id": runID, "status": "DONE"])
        #expect(badStatus.object["error_code"] as? String == "INVALID_PARAMETER_VALUE")
        let searched = try await Self.send(server, "POST", "/runs/search",
                                           ["experiment_ids": [String(experimentID)], "filter": "params.lr = '0.01' AND metrics.acc > 0.5"])
        #expect((searched.object["runs"] as? [[String: Any]])?.count == 1, "\(searched.text)")
        let badFilter = try await Self.send(server, "POST", "/runs/search", ["experiment_ids": [String(experimentID)], "filter": "lr = "])
        #expect(badFilter.status == 400 && badFilter.object["error_code"] as? String == "INVALID_PARAMETER_VALUE")

        // Artifacts through the MLflow proxy, read back through Kouzi's API.
        let artifactPath = "/mlflow/projects/1/api/2.0/mlflow-artifacts/artifacts/\(experimentID)/\(runID)/artifacts/plots/notes.txt"
        #expect(try await server.admin.send("PUT", artifactPath, body: Data("hello".utf8), contentType: "text/plain").status == 200)
        let listing = try await server.admin.get("/mlflow/projects/1/api/2.0/mlflow-artifacts/artifacts?path=\(experimentID)/\(runID)/artifacts")
        #expect((listing.object["files"] as? [[String: Any]])?.map { $0["path"] as? String } == ["plots"])
        #expect(try await server.admin.get(artifactPath).text == "hello")
        // Encoded names are decoded once: spaces and accents are stored as they are named; an encoded climb is refused.
        let artifactRoot = "/mlflow/projects/1/api/2.0/mlflow-artifacts/artifacts/\(experimentID)/\(runID)/artifacts/"
        #expect(try await server.admin.send("PUT", artifactRoot + "dir%20with%20space/donn%C3%A9es.txt", body: Data("é".utf8),
                                            contentType: "text/plain").status == 200)
        #expect(try await server.admin.get(artifactRoot + "dir%20with%20space/donn%C3%A9es.txt").text == "é")
        let climb = try await server.admin.send("PUT", artifactRoot + "..%2f..%2fx", body: Data("x".utf8), contentType: "text/plain")
        #expect(climb.status == 400, "\(climb.status) \(climb.text)")
        let wrongExperiment = try await server.admin.get("/mlflow/projects/1/api/2.0/mlflow-artifacts/artifacts/999/\(runID)/artifacts/plots/notes.txt")
        #expect(wrongExperiment.status == 404 && wrongExperiment.object["error_code"] as? String == "RESOURCE_DOES_NOT_EXIST")

        // Kouzi's view of the same run.
        let runs = try await server.call(nil, "GET", p + "/experiments/\(experimentID)/runs")
        #expect(runs.array.count == 1 && runs.array.first?["params"] as? [String: String] == ["lr": "0.01"])
        let kouziRun = try await server.call(nil, "GET", p + "/runs/\(runID)")
        #expect((kouziRun.object["latestMetrics"] as? [[String: Any]])?.map { $0["key"] as? String } == ["acc", "loss"])
        #expect(try await server.call(nil, "GET", p + "/runs/\(runID)/metrics/loss").array.map { $0["value"] as? Double } == [0.9, 0.5, 0.3])
        #expect(try await server.call(nil, "GET", p + "/runs/\(runID)/artifacts").array.map { $0["path"] as? String }
                == ["dir with space/données.txt", "plots/notes.txt"])
        #expect(try await server.call(nil, "GET", p + "/runs/\(runID)/artifacts/download?path=plots/notes.txt").text == "hello")
        #expect(try await server.call(nil, "GET", p + "/runs/\(runID)/artifacts/download?path=../x").code == "invalid_path")
        #expect(try await server.call(nil, "GET", p + "/runs/abc").code == "run_not_found")

        // Registry: an MLflow version has a source and no package; Kouzi lists it and refuses to download it.
        #expect(try await Self.send(server, "POST", "/registered-models/create", ["name": "churn-model"]).status == 200)
        let version = try await Self.send(server, "POST", "/model-versions/create",
                                          ["name": "churn-model", "source": "runs:/\(runID)/model", "run_id": runID])
        #expect((version.object["model_version"] as? [String: Any])?["version"] as? String == "1", "\(version.text)")
        #expect(try await Self.send(server, "POST", "/registered-models/alias", ["name": "churn-model", "alias": "champion", "version": "1"]).status == 200)
        let byAlias = try await Self.send(server, "GET", "/registered-models/alias?name=churn-model&alias=champion")
        #expect((byAlias.object["model_version"] as? [String: Any])?["source"] as? String == "runs:/\(runID)/model")
        let unknownModel = try await Self.send(server, "GET", "/registered-models/get?name=nope")
        #expect(unknownModel.status == 404 && unknownModel.object["error_code"] as? String == "RESOURCE_DOES_NOT_EXIST")
        let models = try await server.call(nil, "GET", p + "/models").array
        let modelID = models.first { $0["name"] as? String == "churn-model" }?["id"] as! Int
        let kouziVersion = try await server.call(nil, "GET", p + "/models/\(modelID)/versions/champion")
        #expect(kouziVersion.object["source"] as? String == "runs:/\(runID)/model")
        #expect((kouziVersion.object["lineage"] as? [String: Any])?["runID"] as? String == runID)
        let download = try await server.call(nil, "GET", p + "/models/\(modelID)/versions/1/download")
        #expect(download.status == 404 && download.code == "package_not_found", "\(download.text)")

        // Another user's token sees nothing of project 1, in MLflow's shape too.
        let eve = try await server.call(nil, "POST", "/api/v1/users", json: ["name": "eve"]).object["id"] as! Int
        let eveToken = try await server.call(nil, "POST", "/api/v1/tokens", json: ["name": "eve", "role": "editor", "userID": eve])
        let eveClient = server.client(token: eveToken.object["secret"] as? String)
        let hidden = try await Self.send(server, "GET", "/runs/get?run_id=\(runID)", client: eveClient)
        #expect(hidden.status == 404 && hidden.object["error_code"] as? String == "RESOURCE_DOES_NOT_EXIST")
        let anonymous = try await Self.send(server, "GET", "/runs/get?run_id=\(runID)", client: server.client(token: nil))
        #expect(anonymous.status == 401 && anonymous.object["error_code"] as? String == "UNAUTHENTICATED")

        // Roles: a viewer reads but cannot log; a deleted run takes no data until restored.
        _ = try await server.call(nil, "PUT", "/api/v1/projects/1/members/\(eve)", json: ["role": "viewer"])
        #expect(try await Self.send(server, "GET", "/runs/get?run_id=\(runID)", client: eveClient).status == 200)
        let denied = try await Self.send(server, "POST", "/runs/set-tag", ["run_id": runID, "key": "k", "value": "v"], client: eveClient)
        #expect(denied.status == 403 && denied.object["error_code"] as? String == "PERMISSION_DENIED")
        #expect(try await Self.send(server, "POST", "/runs/delete", ["run_id": runID]).status == 200)
        let onDeleted = try await Self.send(server, "POST", "/runs/set-tag", ["run_id": runID, "key": "k", "value": "v"])
        #expect(onDeleted.status == 400 && onDeleted.object["error_code"] as? String == "INVALID_PARAMETER_VALUE")
        #expect(try await server.call(nil, "GET", p + "/experiments/\(experimentID)/runs").array.isEmpty)
        #expect(try await Self.send(server, "POST", "/runs/restore", ["run_id": runID]).status == 200)
        #expect(try await Self.send(server, "POST", "/runs/set-tag", ["run_id": runID, "key": "k", "value": "v"]).status == 200)

        // Paging: max_results and page_token, in MLflow's search and in Kouzi's list.
        let paging = try await Self.send(server, "POST", "/experiments/create", ["name": "paging"]).object["experiment_id"] as! String
        for start in 1...3 {
            _ = try await Self.send(server, "POST", "/runs/create", ["experiment_id": paging, "start_time": start])
        }
        let first = try await Self.send(server, "POST", "/runs/search", ["experiment_ids": [paging], "max_results": 2])
        #expect((first.object["runs"] as? [[String: Any]])?.count == 2)
        let token = try #require(first.object["next_page_token"] as? String)
        let second = try await Self.send(server, "POST", "/runs/search", ["experiment_ids": [paging], "max_results": 2, "page_token": token])
        let last = (second.object["runs"] as? [[String: Any]])?.first?["info"] as? [String: Any]
        #expect(last?["start_time"] as? Int == 1 && second.object["next_page_token"] == nil, "\(second.text)")
        #expect(try await server.call(nil, "GET", p + "/experiments/\(paging)/runs?limit=2&offset=2").array.map { $0["startTime"] as? Int } == [1])

        // Without a project in the URI: the caller's only project, else a 400 naming the fix.
        let bare = try await server.admin.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=churn")
        #expect((bare.object["experiment"] as? [String: Any])?["experiment_id"] as? String == String(experimentID), "\(bare.text)")
        _ = try await server.call(nil, "POST", "/api/v1/projects", json: ["name": "second"])
        let ambiguous = try await server.admin.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=churn")
        #expect(ambiguous.status == 400 && ambiguous.object["error_code"] as? String == "INVALID_PARAMETER_VALUE")

        #expect(!server.process.log.contains { $0.contains("unhandled error") })
        try await server.checkAgainstOpenAPI()
    }
}
