import Foundation
import KouziData
import KouziFormats
import Testing

/// The `kouzi datasets|models|tokens` client commands against a real server, as a user runs them.
@Suite("CLI client")
struct CLIClientTests {
    /// Runs the `kouzi` executable with the server and token in its environment.
    /// Runs the `kouzi` executable (on a thread of its own: it may take seconds) with the server and token in its environment.
    func kouzi(_ server: TestServer, _ arguments: [String], token: String? = nil) async throws -> (status: Int32, out: String, err: String) {
        let base = server.base.absoluteString, secret = token ?? server.admin.token
        return try await offPool { Result { try Self.runKouzi(base: base, token: secret, arguments) } }.get()
    }

    static func runKouzi(base: String, token: String?, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ServerProcess.executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["KOUZI_SERVER"] = base
        environment["KOUZI_TOKEN"] = token
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }

    @Test func datasetsModelsAndTokensFromTheCommandLine() async throws {
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("people.csv")
        try Data(Fixtures.messyCSV.utf8).write(to: csv)

        #expect(try await kouzi(server, ["datasets", "create", "people"]).out.contains("dataset 1 'people' created"))
        let upload = try await kouzi(server, ["datasets", "upload", "1", csv.path, "--format", "csv", "--target", "label", "--json"])
        #expect(upload.status == 0, "\(upload.err)")
        let version = try JSONSerialization.jsonObject(with: Data(upload.out.utf8)) as? [String: Any]
        #expect(version?["rowCount"] as? Int == 7)
        #expect(try await kouzi(server, ["datasets", "profile", "1", "1"]).out.contains("income"))
        #expect(try await kouzi(server, ["datasets", "quality", "1", "1"]).out.contains("duplicate"))
        let pipeline = directory.appendingPathComponent("clean.json")
        try Data(#"[{"op": "dropDuplicates"}]"#.utf8).write(to: pipeline)
        #expect(try await kouzi(server, ["datasets", "clean", "1", "1", "--pipeline", pipeline.path, "--preview"]).out.contains("6 rows would result"))
        #expect(try await kouzi(server, ["datasets", "clean", "1", "1", "--pipeline", pipeline.path]).out.contains("version 2 created from 1"))
        let versions = try await kouzi(server, ["datasets", "versions", "1"]).out
        #expect(versions.contains("clean") && versions.contains("upload"), "\(versions)")
        let copy = directory.appendingPathComponent("copy.csv")
        #expect(try await kouzi(server, ["datasets", "download", "1", "1", "-o", copy.path]).status == 0)
        #expect(try Data(contentsOf: copy) == Data(Fixtures.messyCSV.utf8))

        // A .kouzi directory is zipped by the client and registered; the alias moves; the package comes back.
        let package = directory.appendingPathComponent("churn.kouzi")
        let zip = try ZipArchive(bytes: [UInt8](try Fixtures.modelPackage()))
        try FileManager.default.createDirectory(at: package, withIntermediateDirectories: true)
        for entry in zip.files { try Data(try zip.contents(of: entry)).write(to: package.appendingPathComponent(entry.fileName)) }
        #expect(try await kouzi(server, ["models", "create", "churn"]).status == 0)
        let registered = try await kouzi(server, ["models", "register", "1", package.path, "--metrics", #"{"accuracy": 0.75}"#,
                                            "--dataset", "1", "--dataset-version", "2"])
        #expect(registered.out.contains("version 1 of model 1 registered"), "\(registered.err)")
        #expect(try await kouzi(server, ["models", "alias", "1", "production", "1"]).out.contains("production"))
        #expect(try await kouzi(server, ["models", "list"]).out.contains("production→1"))
        let fetched = directory.appendingPathComponent("fetched.zip")
        #expect(try await kouzi(server, ["models", "download", "1", "production", "-o", fetched.path]).status == 0)
        #expect(try ZipArchive(path: fetched.path).files.map(\.fileName).sorted() == ["model.json", "weights.safetensors"])

        // Tokens: create a viewer token, which cannot write; errors are clear and exit with 1.
        let created = try await kouzi(server, ["tokens", "create", "reader", "--role", "viewer", "--json"])
        let secret = (try JSONSerialization.jsonObject(with: Data(created.out.utf8)) as? [String: Any])?["secret"] as? String
        let denied = try await kouzi(server, ["datasets", "create", "nope"], token: secret)
        #expect(denied.status == 1 && denied.err.contains("403 forbidden"), "\(denied.err)")
        #expect(try await kouzi(server, ["tokens", "list"]).out.contains("reader"))
        let missing = try await kouzi(server, ["models", "show", "1", "staging"])
        #expect(missing.status == 1 && missing.err.contains("alias_not_found"))
        let unreachable = try await kouzi(server, ["datasets", "list", "--server", "http://127.0.0.1:1"])
        #expect(unreachable.status == 1 && unreachable.err.contains("cannot reach"))
    }
}

extension CLIClientTests {
    @Test func jobsTuningAndServerEvaluationFromTheCommandLine() async throws {
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-jobs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("clusters.csv")
        try Data(JobFixtures.clustersCSV(rows: 150).utf8).write(to: csv)
        #expect(try await kouzi(server, ["datasets", "create", "clusters"]).status == 0)
        #expect(try await kouzi(server, ["datasets", "upload", "1", csv.path, "--format", "csv"]).status == 0)

        let templates = try await kouzi(server, ["jobs", "templates"]).out
        #expect(templates.contains("cnn_image_classifier") && templates.contains("learning_rate"))
        let submitted = try await kouzi(server, ["jobs", "submit", "--template", "mlp_classifier", "--dataset", "1", "--dataset-version", "1",
                                           "--target", "label", "--set", "epochs=5", "--set", "units=16", "--seed", "2", "--follow"])
        #expect(submitted.status == 0, "\(submitted.err)")
        #expect(submitted.out.contains("job 1 queued") && submitted.out.contains("[job 1] epoch 5/5:"), "\(submitted.out)")
        #expect(submitted.out.contains("job 1 succeeded") && submitted.out.contains("→ model 1 v1"))
        let list = try await kouzi(server, ["jobs", "list"]).out
        #expect(list.contains("train") && list.contains("succeeded"), "\(list)")
        #expect(try await kouzi(server, ["jobs", "show", "1"]).out.contains("attempt 1 of 3"))
        #expect(try await kouzi(server, ["jobs", "logs", "1"]).out.contains("registered model 1 version 1"))

        let refused = try await kouzi(server, ["jobs", "submit", "--template", "mlp_classifier", "--dataset", "1", "--dataset-version", "1",
                                         "--target", "label", "--set", "dropout=3"])
        #expect(refused.status != 0 && refused.err.contains("dropout"), "\(refused.err)")

        let evaluated = try await kouzi(server, ["evaluate", "--server", server.base.absoluteString, "--model-id", "1",
                                           "--dataset", "1", "--dataset-version", "1", "--follow"])
        #expect(evaluated.status == 0 && evaluated.out.contains("succeeded: accuracy="), "\(evaluated.out) \(evaluated.err)")

        let tuned = try await kouzi(server, ["tune", "--template", "mlp_classifier", "--dataset", "1", "--dataset-version", "1",
                                       "--target", "label", "--set", "epochs=3", "--strategy", "grid", "--search", "units=4,16",
                                       "--metric", "val_accuracy", "--follow"])
        #expect(tuned.status == 0 && tuned.out.contains("best trial"), "\(tuned.out) \(tuned.err)")
        #expect(try await kouzi(server, ["jobs", "list", "--kind", "tune"]).out.contains("succeeded"))
        #expect(try await kouzi(server, ["jobs", "cancel", "1"]).status != 0, "a finished job cannot be cancelled")
    }
}
