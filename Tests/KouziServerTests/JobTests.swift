import Foundation
import Testing

/// The training service end to end: templates, submission checks, progress as Server-Sent Events, metric history,
/// registration with lineage, evaluation reports and hyper-parameter search (cancellation: ``StopLatencyTests``).
@Suite("Training jobs")
struct JobTests {
    let p = "/api/v1/projects/1"

    @Test(arguments: Backend.available)
    func aTemplateJobTrainsStreamsProgressAndRegistersItsModel(_ backend: Backend) async throws {
        let server = try await TestServer(backend)
        defer { server.shutdown() }
        let templates = try await server.call(nil, "GET", "/api/v1/templates")
        #expect(Set(templates.array.compactMap { $0["id"] as? String }).isSuperset(of: [
            "logistic_regression", "linear_regression", "mlp_classifier", "mlp_regressor", "cnn_image_classifier", "lstm_text_classifier"]))
        // Large enough that the job runs for a second or more, so the stream sees it running.
        let dataset = try await JobFixtures.uploadCSV(server, name: "clusters", JobFixtures.clustersCSV(rows: 3000, noiseColumns: 20))
        let submitted = try await server.call(nil, "POST", p + "/jobs", json: [
            "template": "mlp_classifier", "target": "label", "dataset": ["id": dataset, "version": 1], "seed": 3,
            "hyperparameters": ["epochs": 12, "units": 512, "hidden_layers": 3, "batch_size": 8, "validation_split": 0.2],
            "model": "clusters-mlp",
        ])
        #expect(submitted.status == 201, "\(submitted.text)")
        #expect(submitted.object["state"] as? String == "queued")
        let id = submitted.object["id"] as! Int

        // The event stream lasts until the job ends: job snapshots as it changes, its log lines, then `end`.
        let stream = try await server.call(nil, "GET", p + "/jobs/\(id)/events")
        #expect(stream.status == 200)
        let events = JobFixtures.events(stream.text)
        #expect(events.last?.event == "end" && events.last?.data["state"] as? String == "succeeded", "\(stream.text.suffix(500))")
        let states = events.filter { $0.event == "job" }.compactMap { $0.data["state"] as? String }
        #expect(states.first == "queued" || states.first == "running")
        #expect(states.contains("running") && states.last == "succeeded")
        let logLines = events.filter { $0.event == "log" }.compactMap { $0.data["line"] as? String }
        for epoch in 1...12 { #expect(logLines.contains { $0.hasPrefix("epoch \(epoch)/12:") }, "epoch \(epoch) logged") }

        let job = try await JobFixtures.waitForJob(server, id)
        #expect(job["attempts"] as? Int == 1)
        let result = job["result"] as? [String: Any] ?? [:]
        let metrics = result["metrics"] as? [String: Double] ?? [:]
        #expect((metrics["accuracy"] ?? 0) > 0.95, "\(result)")
        #expect(result["reportSplit"] as? String == "validation")

        // The metric history: every epoch once, in order.
        let history = try await server.call(nil, "GET", p + "/jobs/\(id)/metrics").object
        let loss = history["loss"] as? [[String: Any]] ?? []
        #expect(loss.compactMap { $0["step"] as? Int } == Array(1...12))
        #expect(history["val_accuracy"] != nil && history["validation_accuracy"] != nil)

        // The model version with lineage, its evaluation report, and the run in the tracking API.
        let modelID = result["modelId"] as! Int
        let model = try await server.call(nil, "GET", p + "/models/\(modelID)").object
        #expect(model["name"] as? String == "clusters-mlp")
        let version = try await server.call(nil, "GET", p + "/models/\(modelID)/versions/1").object
        let lineage = version["lineage"] as? [String: Any] ?? [:]
        #expect(lineage["datasetID"] as? Int == dataset && lineage["datasetVersion"] as? Int == 1)
        #expect(lineage["runID"] as? String == job["runID"] as? String)
        #expect((version["metrics"] as? [String: Double])?["validation_accuracy"] == metrics["accuracy"])
        let reports = try await server.call(nil, "GET", p + "/evaluations?model=\(modelID)").array
        #expect(reports.count == 1)
        let report = reports.first?["report"] as? [String: Any] ?? [:]
        #expect(report["classes"] as? [String] == ["a", "b", "c"])
        #expect((report["confusionMatrix"] as? [[Int]])?.count == 3)
        let evaluation = try await server.call(nil, "GET", p + "/evaluations/\(result["evaluationId"] as! Int)")
        #expect(evaluation.status == 200)
        let download = try await server.call(nil, "GET", p + "/models/\(modelID)/versions/1/download")
        #expect(download.status == 200 && download.body.count > 100)

        // A queued evaluation of the registered version on the same data.
        let evaluate = try await server.call(nil, "POST", p + "/evaluations", json: ["model": modelID, "version": "1",
                                                                                      "dataset": ["id": dataset, "version": 1]])
        #expect(evaluate.status == 201, "\(evaluate.text)")
        let scored = try await JobFixtures.waitForJob(server, evaluate.object["id"] as! Int)
        #expect(scored["state"] as? String == "succeeded", "\(scored)")
        let all = try await server.call(nil, "GET", p + "/evaluations?model=\(modelID)").array
        #expect(all.count == 2 && all.allSatisfy { ($0["metrics"] as? [String: Double])?["accuracy"] ?? 0 > 0.9 })
        #expect(try await server.call(nil, "GET", p + "/jobs?kind=evaluate").array.count == 1)
        try await server.checkAgainstOpenAPI()
    }

    @Test(arguments: Backend.available)
    func badSubmissionsAreRefusedBeforeAnythingIsQueued(_ backend: Backend) async throws {
        let server = try await TestServer(backend)
        defer { server.shutdown() }
        let dataset = try await JobFixtures.uploadCSV(server, name: "clusters", JobFixtures.clustersCSV(rows: 30))
        let data: [String: Any] = ["id": dataset, "version": 1]
        func submit(_ body: [String: Any]) async throws -> HTTPResult {
            try await server.call(nil, "POST", p + "/jobs", json: body.merging(["dataset": data]) { a, _ in a })
        }
        let unknownLayer = try await submit(["target": "label", "spec": [
            "layers": [["type": "Dense", "units": 8], ["type": "Quantum"]],
            "optimizer": "adam", "loss": "sparse_categorical_crossentropy"]])
        #expect(unknownLayer.status == 400 && unknownLayer.code == "invalid_spec", "\(unknownLayer.text)")
        #expect(unknownLayer.text.contains("Quantum"))
        let wrongKind = try await submit(["template": "cnn_image_classifier", "target": "label"])
        #expect(wrongKind.status == 400 && wrongKind.code == "invalid_dataset", "\(wrongKind.text)")
        let noColumn = try await submit(["template": "mlp_classifier", "target": "price"])
        #expect(noColumn.status == 400 && noColumn.code == "invalid_target" && noColumn.text.contains("price"))
        let textTarget = try await submit(["template": "linear_regression", "target": "label"])
        #expect(textTarget.status == 400 && textTarget.code == "invalid_target")
        let range = try await submit(["template": "mlp_classifier", "target": "label", "hyperparameters": ["learning_rate": 50]])
        #expect(range.status == 400 && range.code == "invalid_hyperparameters" && range.text.contains("learning_rate"))
        let unknownSetting = try await submit(["template": "mlp_classifier", "target": "label", "hyperparameters": ["layers": 3]])
        #expect(unknownSetting.status == 400 && unknownSetting.text.contains("unknown hyper-parameter"))
        let unknownTemplate = try await submit(["template": "xgboost", "target": "label"])
        #expect(unknownTemplate.status == 400 && unknownTemplate.code == "invalid_template")
        let missingData = try await server.call(nil, "POST", p + "/jobs", json: ["template": "mlp_classifier", "target": "label",
                                                                                   "dataset": ["id": dataset, "version": 9]])
        #expect(missingData.status == 400 && missingData.code == "invalid_dataset")
        let notJSON = try await server.call(nil, "POST", p + "/jobs", body: Data("{\"template\":".utf8), contentType: "application/json")
        #expect(notJSON.status == 400)
        let badSearch = try await server.call(nil, "POST", p + "/tuning", json: [
            "training": ["template": "mlp_classifier", "target": "label", "dataset": data],
            "space": ["units": ["values": [8, 100000]]], "strategy": "grid"])
        #expect(badSearch.status == 400 && badSearch.text.contains("units"), "\(badSearch.text)")
        let viewer = try await server.call(nil, "POST", "/api/v1/tokens", json: ["name": "viewer", "role": "viewer"])
        let asViewer = try await server.call(server.client(token: viewer.object["secret"] as? String), "POST", p + "/jobs",
                                             json: ["template": "mlp_classifier", "target": "label", "dataset": data])
        #expect(asViewer.status == 403)
        #expect(try await server.call(nil, "GET", p + "/jobs").array.isEmpty, "nothing was queued")
        #expect(try await server.call(nil, "GET", p + "/jobs/99").status == 404)
        try await server.checkAgainstOpenAPI()
    }

    @Test func aJobExpectedToNeedMoreMemoryThanAllowedIsRefusedWhenSubmitted() async throws {
        let server = try await TestServer(.sqlite, extraArguments: ["--job-memory-mib", "1"])
        defer { server.shutdown() }
        let small = try await JobFixtures.uploadCSV(server, name: "small", JobFixtures.clustersCSV(rows: 300))
        let large = try await JobFixtures.uploadCSV(server, name: "large", JobFixtures.clustersCSV(rows: 20_000))
        func submit(_ dataset: Int) async throws -> HTTPResult {
            try await server.call(nil, "POST", p + "/jobs", json: [
                "template": "logistic_regression", "target": "label", "dataset": ["id": dataset, "version": 1],
            ])
        }
        let refused = try await submit(large)
        #expect(refused.status == 422 && refused.code == "job_too_large", "\(refused.text)")
        #expect((refused.object["error"] as? String ?? "").contains("20000 rows × 4 columns) needs about 0.0"), "\(refused.text)")
        #expect(try await server.call(nil, "GET", p + "/jobs").array.isEmpty, "nothing was queued")
        let accepted = try await submit(small)
        #expect(accepted.status == 201, "\(accepted.text)")
        try await server.checkAgainstOpenAPI()
    }

    @Test(arguments: Backend.available)
    func aSearchRunsTrialsPromotesTheBestAndRegistersIt(_ backend: Backend) async throws {
        let server = try await TestServer(backend)
        defer { server.shutdown() }
        let dataset = try await JobFixtures.uploadCSV(server, name: "clusters", JobFixtures.clustersCSV(rows: 240))
        let training: [String: Any] = ["template": "mlp_classifier", "target": "label", "dataset": ["id": dataset, "version": 1],
                                       "hyperparameters": ["epochs": 4, "validation_split": 0.25], "seed": 5, "model": "searched"]
        let search = try await server.call(nil, "POST", p + "/tuning", json: [
            "training": training, "strategy": "successive_halving", "trials": 4, "minEpochs": 1, "eta": 2,
            "metric": "val_accuracy",
            "space": ["units": ["values": [4, 16, 32]], "learning_rate": ["min": 0.001, "max": 0.05, "log": true]],
        ])
        #expect(search.status == 201, "\(search.text)")
        let id = search.object["id"] as! Int
        let done = try await JobFixtures.waitForJob(server, id, seconds: 180)
        #expect(done["state"] as? String == "succeeded", "\(done)")
        let result = done["result"] as? [String: Any] ?? [:]
        let trials = try await server.call(nil, "GET", p + "/jobs?parent=\(id)&limit=100").array
        // Rungs of 1, 2 and 4 epochs: 4 trials, then the best 2, then the best 1.
        #expect(trials.count == 4 + 2 + 1, "\(trials.map { $0["id"] ?? 0 })")
        #expect(trials.allSatisfy { $0["state"] as? String == "succeeded" && $0["parentID"] as? Int == id })
        let best = trials.first { $0["id"] as? Int == result["bestJob"] as? Int }
        #expect((best?["result"] as? [String: Any])?["best"] as? Bool == true)
        #expect((best?["result"] as? [String: Any])?["epochs"] as? Int == 4, "the winner trained for the full budget")
        let promoted = trials.filter { ($0["result"] as? [String: Any])?["resumedAfterEpoch"] as? Int ?? 0 > 0 }
        #expect(promoted.count == 3, "promoted trials continue from their checkpoints")
        let versions = try await server.call(nil, "GET", p + "/models/\(result["modelId"] as! Int)/versions").array
        #expect(versions.count == 1, "only the best trial is registered")

        let grid = try await server.call(nil, "POST", p + "/tuning", json: [
            "training": training, "strategy": "grid", "metric": "val_loss",
            "space": ["units": ["values": [8, 16]], "activation": ["values": ["relu", "tanh"]]],
        ])
        let gridDone = try await JobFixtures.waitForJob(server, grid.object["id"] as! Int, seconds: 180)
        #expect(gridDone["state"] as? String == "succeeded", "\(gridDone)")
        #expect(((gridDone["result"] as? [String: Any])?["ranking"] as? [Any])?.count == 4)
        try await server.checkAgainstOpenAPI()
    }
}

extension JobTests {
    @Test func aBatchPredictionWritesANewVersionAndResumesAfterItsLastChunk() async throws {
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        let dataset = try await JobFixtures.uploadCSV(server, name: "clusters", JobFixtures.clustersCSV(rows: 300))
        let trained = try await server.call(nil, "POST", p + "/jobs", json: [
            "template": "mlp_classifier", "target": "label", "dataset": ["id": dataset, "version": 1], "seed": 1,
            "hyperparameters": ["epochs": 30, "units": 16],
        ])
        #expect(try await JobFixtures.waitForJob(server, trained.object["id"] as! Int)["state"] as? String == "succeeded")

        let job = try await server.call(nil, "POST", p + "/predictions", json: ["model": 1, "version": "latest",
                                                                                 "dataset": ["id": dataset, "version": 1], "chunkRows": 50])
        #expect(job.status == 201, "\(job.text)")
        let done = try await JobFixtures.waitForJob(server, job.object["id"] as! Int)
        #expect(done["state"] as? String == "succeeded", "\(done)")
        let result = done["result"] as? [String: Any] ?? [:]
        #expect(result["rows"] as? Int == 300 && result["datasetVersion"] as? Int == 2)
        let version = try await server.call(nil, "GET", p + "/datasets/\(dataset)/versions/2").object
        #expect(version["rowCount"] as? Int == 300 && version["parentNumber"] as? Int == 1)
        #expect((version["operation"] as? [String: Any])?["type"] as? String == "predict")
        let csv = try await server.call(nil, "GET", p + "/datasets/\(dataset)/versions/2/download").text
        let lines = csv.split(separator: "\n")
        #expect(lines.first == "x1,x2,shade,label,prediction,probability_a,probability_b,probability_c", "\(lines.first ?? "")")
        let agree = lines.dropFirst().filter { line in
            let fields = line.split(separator: ","); return fields.count == 8 && fields[3] == fields[4]
        }.count
        #expect(agree > 285, "\(agree) of 300 predictions match the labels")
        let bad = try await server.call(nil, "POST", p + "/predictions", json: ["model": 1, "version": "9", "dataset": ["id": dataset, "version": 1]])
        #expect(bad.status == 400)

        // A second prediction whose first attempt wrote two rows before its worker died: the next attempt keeps them.
        server.process.stop()
        try server.restart(extraArguments: ["--workers", "0"])
        let second = try await server.call(nil, "POST", p + "/predictions", json: ["model": 1, "version": "1",
                                                                                    "dataset": ["id": dataset, "version": 1], "chunkRows": 64])
        let id = second.object["id"] as! Int
        let work = server.process.dataDirectory.appendingPathComponent("jobs/job-\(id)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let partial = String(lines[0]) + "\n9,9,dark,a,zz,0,0,1\n9,9,light,b,zz,0,0,1\n"
        try Data(partial.utf8).write(to: work.appendingPathComponent("predictions.csv"))
        try Data(#"{"rows": 2, "bytes": \#(partial.utf8.count)}"#.utf8).write(to: work.appendingPathComponent("predictions.state"))
        server.process.stop()
        try server.restart()
        let resumed = try await JobFixtures.waitForJob(server, id)
        #expect(resumed["state"] as? String == "succeeded", "\(resumed)")
        #expect((resumed["result"] as? [String: Any])?["resumedAfterRow"] as? Int == 2)
        let third = try await server.call(nil, "GET", p + "/datasets/\(dataset)/versions/3/download").text.split(separator: "\n")
        #expect(third.count == 301 && third[1].contains(",zz,") && third[2].contains(",zz,") && !third[3].contains(",zz,"))
        #expect(try await server.call(nil, "GET", p + "/jobs/\(id)/logs").text.contains("resuming after row 2"))
        try await server.checkAgainstOpenAPI()
    }
}
