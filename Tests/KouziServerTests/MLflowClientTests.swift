import Foundation
import KouziTestSupport
import Testing

/// The stock `mlflow` Python client against the real server: `scripts/mlflow_client_check.py` tracks a run, logs
/// parameters, metrics, tags and artifacts, registers a model version with an alias and checks every answer;
/// this test then finds the same data through Kouzi's own API. It fails when `import mlflow` fails (CI installs
/// it through scripts/setup.sh) unless `KOUZI_SKIP_MLFLOW=1`.
@Suite("MLflow client", .serialized,
       .enabled(if: ProcessInfo.processInfo.environment["KOUZI_SKIP_MLFLOW"] != "1", "KOUZI_SKIP_MLFLOW=1: MLflow client test skipped"))
struct MLflowClientTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs python3 with arguments (on a thread of its own), returning the exit status and combined output.
    static func python(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await offPool { Result { try runPython(arguments) } }.get()
    }

    static func runPython(_ arguments: [String]) throws -> (status: Int32, output: String) {
        // The client's telemetry thread writes os.environ while requests reads it (a KeyError now and then).
        try KouziTestSupport.runPython(arguments, directory: repository, environment: [
            "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0", "MLFLOW_HTTP_REQUEST_TIMEOUT": "30",
            "MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true"])
    }

    @Test(arguments: Backend.available)
    func stockClientTracksAndRegisters(_ backend: Backend) async throws {
        let probe = try await Self.python(["-c", "import mlflow; print(mlflow.__version__)"])
        try #require(probe.status == 0, "python3 cannot import mlflow (run scripts/setup.sh, or set KOUZI_SKIP_MLFLOW=1): \(probe.output)")
        let server = try await TestServer(backend)
        defer { server.shutdown() }

        // A project of its own and an editor token for it.
        let project = try await server.call(nil, "POST", "/api/v1/projects", json: ["name": "mlflow-demo"])
        let projectID = project.object["id"] as! Int
        let token = try await server.call(nil, "POST", "/api/v1/tokens", json: ["name": "mlflow", "role": "editor"])
        let secret = token.object["secret"] as! String
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("mlflow-check-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: output) }
        let uri = server.base.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + "/mlflow/projects/mlflow-demo"
        let run = try await Self.python(["scripts/mlflow_client_check.py", uri, secret, output.path])
        #expect(run.status == 0, "\(run.output)")
        try #require(run.status == 0)
        let ids = try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as! [String: Any]
        let runID = ids["run_id"] as! String
        let experimentID = Int(ids["experiment_id"] as! String)!

        // Kouzi's API shows the same experiment, run, parameters, metric history, artifact and model version.
        let p = "/api/v1/projects/\(projectID)"
        let experiments = try await server.call(nil, "GET", p + "/experiments").array
        #expect(experiments.map { $0["id"] as? Int } == [experimentID] && experiments.first?["name"] as? String == "churn-mlflow")
        let runs = try await server.call(nil, "GET", p + "/experiments/\(experimentID)/runs").array
        #expect(runs.map { $0["id"] as? String } == [runID])
        #expect(runs.first?["params"] as? [String: String] == ["lr": "0.01", "epochs": "3", "optimizer": "adam"])
        #expect(runs.first?["status"] as? String == "FINISHED")
        let history = try await server.call(nil, "GET", p + "/runs/\(runID)/metrics/loss").array
        #expect(history.map { $0["step"] as? Int } == [0, 1, 2] && history.map { $0["value"] as? Double } == [0.9, 0.5, 0.3])
        let artifacts = try await server.call(nil, "GET", p + "/runs/\(runID)/artifacts").array
        // Stored under the names the client gave, not their percent-encoded forms.
        #expect(artifacts.map { $0["path"] as? String } == ["dir with space/données/my file é.txt", "notes.txt", "reports/notes.txt"])
        #expect(try await server.call(nil, "GET", p + "/runs/\(runID)/artifacts/download?path=notes.txt").text == "kouzi tracks this run\n")
        let models = try await server.call(nil, "GET", p + "/models").array
        let model = try #require(models.first { $0["name"] as? String == "churn-classifier" })
        #expect(model["aliases"] as? [String: Int] == ["champion": 1])
        let version = try await server.call(nil, "GET", p + "/models/\(model["id"] as! Int)/versions/champion")
        #expect(version.object["source"] as? String == "runs:/\(runID)/model")
        // And the command-line client prints them.
        let cli = CLIClientTests()
        let listed = try await cli.kouzi(server, ["runs", "list", String(experimentID), "--project", String(projectID)])
        #expect(listed.status == 0 && listed.out.contains(runID) && listed.out.contains("FINISHED"), "\(listed.err)")
        let points = try await cli.kouzi(server, ["runs", "show", runID, "--metric", "loss", "--project", String(projectID)])
        #expect(points.status == 0 && points.out.split(separator: "\n").count == 4, "\(points.out)\(points.err)")
        #expect(!server.process.log.contains { $0.contains("unhandled error") })
        try await server.checkAgainstOpenAPI()
    }
}
