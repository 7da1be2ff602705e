import Crypto
import Foundation
import Testing

/// Edge bundles: `kouzi deployments export` writes a folder whose `kouzi-infer` answers, with the server stopped,
/// exactly as the deployment did.
@Suite("Edge bundles")
struct EdgeBundleTests {
    /// The `kouzi-infer` built next to the `kouzi` the tests run.
    static var inferExecutable: String {
        get throws {
            let path = URL(fileURLWithPath: try ServerProcess.executable).deletingLastPathComponent().appendingPathComponent("kouzi-infer").path
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw TestFailure("kouzi-infer is not built next to kouzi (\(path)); run swift build first")
            }
            return path
        }
    }

    /// Runs `executable` (on a thread of its own) with `input` on its standard input.
    func run(_ executable: String, _ arguments: [String], input: Data = Data()) async throws -> (status: Int32, out: String, err: String) {
        try await offPool { Result { () throws -> (Int32, String, String) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            let stdin = Pipe(), out = Pipe(), err = Pipe()
            process.standardInput = stdin
            process.standardOutput = out
            process.standardError = err
            try process.run()
            // A child that stops before reading (a bad --model, say) closes the pipe: that write may fail, harmlessly.
            try? stdin.fileHandleForWriting.write(contentsOf: input)
            try? stdin.fileHandleForWriting.close()
            let output = out.fileHandleForReading.readDataToEndOfFile()
            let error = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
        } }.get()
    }

    /// The named output's numbers and texts of a V2 response.
    func output(_ response: [String: Any], _ name: String) -> (numbers: [Double], texts: [String], shape: [Int]) {
        let found = (response["outputs"] as? [[String: Any]])?.first { $0["name"] as? String == name } ?? [:]
        let data = found["data"] as? [Any] ?? []
        return (data.compactMap { ($0 as? NSNumber)?.doubleValue }, data.compactMap { $0 as? String }, found["shape"] as? [Int] ?? [])
    }

    @Test func anExportedBundleAnswersAsTheDeploymentDidWithTheServerStopped() async throws {
        let serving = ServingTests()
        let server = try await TestServer(.sqlite)
        var stopped = false
        defer { if !stopped { server.shutdown() } }
        try await serving.deployedClassifier(server)
        let body = serving.rows([0.1, 3.0, 0.0, 2.9], [0.0, 0.1, 3.1, 3.0], ["dark", "light", "dark", "light"], id: "e1")
        let served = try await server.call(nil, "POST", "/v2/models/clusters/infer", json: body)
        #expect(served.status == 200, "\(served.text)")
        let metadata = try await server.call(nil, "GET", "/v2/models/clusters").object

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let bundle = directory.appendingPathComponent("clusters-edge")
        let base = server.base.absoluteString, token = server.admin.token
        func kouzi(_ arguments: [String]) async throws -> (status: Int32, out: String, err: String) {
            try await offPool { Result { try CLIClientTests.runKouzi(base: base, token: token, arguments) } }.get()
        }
        let missing = try await kouzi(["deployments", "export", "clusters", "--out", bundle.path, "--binary", directory.path + "/none"])
        #expect(missing.status != 0 && missing.err.contains("kouzi-infer executable is not built")
            && missing.err.contains("swift build -c release --product kouzi-infer"), "\(missing.err)")
        #expect(!FileManager.default.fileExists(atPath: bundle.path))
        let exported = try await kouzi(["deployments", "export", "clusters", "--out", bundle.path, "--json"])
        #expect(exported.status == 0, "\(exported.err)")
        let again = try await kouzi(["deployments", "export", "clusters", "--out", bundle.path])
        #expect(again.status != 0 && again.err.contains("already exists"), "\(again.err)")
        #expect(try await kouzi(["deployments", "export", "clusters", "--out", bundle.path, "--force"]).status == 0)
        server.shutdown()
        stopped = true

        // The bundle: the model, the executable built next to kouzi, a README and a manifest with every file's hash.
        let fm = FileManager.default
        let leftovers = try fm.contentsOfDirectory(atPath: directory.path)
        #expect(leftovers == ["clusters-edge"], "staging folders are renamed or removed: \(leftovers)")
        let infer = bundle.appendingPathComponent("kouzi-infer").path
        #expect(fm.isExecutableFile(atPath: infer))
        #expect(try Data(contentsOf: URL(fileURLWithPath: infer)) == Data(contentsOf: URL(fileURLWithPath: try Self.inferExecutable)))
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: bundle.appendingPathComponent("manifest.json"))) as? [String: Any] ?? [:]
        #expect(manifest["deployment"] as? String == "clusters" && manifest["version"] as? Int == 1)
        #expect((manifest["model"] as? [String: Any])?["name"] as? String == "clusters" && manifest["exported_at"] is String)
        let files = manifest["files"] as? [String: String] ?? [:]
        #expect(Set(files.keys) == ["README.txt", "kouzi-infer", "model/model.json", "model/weights.safetensors"])
        for (path, hash) in files {
            let digest = SHA256.hash(data: try Data(contentsOf: bundle.appendingPathComponent(path)))
            #expect(digest.map { String(format: "%02x", $0) }.joined() == hash, "\(path)")
        }

        // A V2 request on standard input: the same answer as the server's.
        let request = try JSONSerialization.data(withJSONObject: body)
        let answer = try await run(infer, ["--model", bundle.path], input: request)
        #expect(answer.status == 0, "\(answer.err)")
        let local = try JSONSerialization.jsonObject(with: Data(answer.out.utf8)) as? [String: Any] ?? [:]
        #expect(local["model_name"] as? String == "clusters" && local["model_version"] as? String == "1" && local["id"] as? String == "e1")
        let remote = served.object
        for name in ["probabilities", "label", "class_id"] {
            let (a, b) = (output(local, name), output(remote, name))
            #expect(a.shape == b.shape && a.texts == b.texts && a.numbers.count == b.numbers.count, "\(name)")
            #expect(zip(a.numbers, b.numbers).allSatisfy { abs($0 - $1) <= 1e-6 }, "\(name): \(a.numbers) vs \(b.numbers)")
        }
        #expect(output(local, "label").texts.count == 4)

        // CSV rows (the bundle's own model/ found without --model): labels and probabilities as the server gave them.
        let rows = directory.appendingPathComponent("rows.csv")
        try Data("x1,x2,shade\n0.1,0.0,dark\n3.0,0.1,light\n0.0,3.1,dark\n2.9,3.0,light\n".utf8).write(to: rows)
        let csv = try await run(infer, ["--format", "csv", "--input", rows.path])
        #expect(csv.status == 0, "\(csv.err)")
        let lines = csv.out.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        let classes = output(remote, "probabilities").shape.last ?? 0
        #expect(lines.first?.first == "prediction" && lines.first?.count == 1 + classes && lines.count == 5, "\(csv.out)")
        #expect(lines.dropFirst().map { $0[0] } == output(remote, "label").texts)
        let probabilities = lines.dropFirst().flatMap { $0.dropFirst().compactMap(Double.init) }
        #expect(zip(probabilities, output(remote, "probabilities").numbers).allSatisfy { abs($0 - $1) <= 1e-6 })
        #expect(probabilities.count == output(remote, "probabilities").numbers.count)

        // Metadata as the server gave it.
        let meta = try await run(infer, ["--model", bundle.appendingPathComponent("model").path, "--metadata"])
        let localMeta = try JSONSerialization.jsonObject(with: Data(meta.out.utf8)) as? [String: Any] ?? [:]
        #expect(meta.status == 0 && localMeta["name"] as? String == "clusters" && localMeta["versions"] as? [String] == ["1"])
        #expect((localMeta["inputs"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            == (metadata["inputs"] as? [[String: Any]])?.compactMap { $0["name"] as? String })

        // Bad input: a message on standard error and a non-zero status, never a crash.
        func refused(_ arguments: [String], _ input: String, status: Int32 = 1, _ fragment: String) async throws {
            let result = try await run(infer, arguments, input: Data(input.utf8))
            #expect(result.status == status && result.err.contains(fragment) && result.out.isEmpty,
                    "\(arguments) → \(result.status): \(result.err)")
        }
        try await refused([], "{\"inputs\": [", "not valid JSON")
        try await refused([], "{\"inputs\": [{\"name\": \"x1\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]}", "missing input 'x2'")
        try await refused([], "{\"inputs\": [{\"name\": \"x1\", \"shape\": [3], \"datatype\": \"FP32\", \"data\": [1]}]}",
                          "holds 3 elements but data has 1")
        try await refused(["--format", "csv"], "x1,x2\n1,2\n", "missing feature column 'shade'")
        try await refused(["--format", "csv"], "", "empty")
        try await refused(["--input", directory.path + "/absent.json"], "", "does not exist")
        try await refused(["--model", directory.path + "/nowhere"], "{}", "does not exist")
        try await refused(["--format", "xml"], "", status: 2, "--format 'xml' is not valid")
        try await refused(["--colour"], "", status: 2, "unknown option '--colour'")
    }
}
