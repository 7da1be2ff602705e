import Foundation
import KouziData
import KouziNN
import KouziPlatform
import KouziServer
import KouziTasks
import KouziTensor
import KouziTraining
import Logging

/// The whole flow on a local server: upload Fashion-MNIST, train two versions as jobs, deploy them under an A/B
/// split, send traffic with feedback, watch live accuracy and a drift alert, and leave the server running.
struct PlatformDemo {
    /// The IDX directory (train and t10k files).
    let images: String
    let state: URL
    let port: Int
    /// Test images sent as traffic.
    let requests: Int
    let keepRunning: Bool
    let console = Console.current

    func say(_ line: String) { console.print(line) }

    func run() throws {
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let logger = Logger(label: "kouzi.demo") { _ in SwiftLogNoOpLogHandler() }
        let configuration = PlatformConfiguration(dataDirectory: state), state = self.state
        // The admin token: created on this fresh data directory before the server opens it.
        let token: String = try runBlocking {
            let platform = try await Platform.open(configuration, logger: logger)
            let secret = try await platform.accounts.bootstrap()
            await platform.close()
            guard let secret else {
                throw CLIError.failed("\(state.path) already holds a platform; give the demo a fresh --state directory")
            }
            return secret
        }
        let listening = Listening()
        let options = ServerOptions(port: port, platform: configuration, jobs: JobRunnerOptions(concurrency: 1))
        let server = Task { try await KouziServer.run(options, logger: logger) { listening.set($0) } }
        guard let bound = listening.wait(seconds: 60) else { throw CLIError.failed("the server did not start within 60 s") }
        let url = "http://127.0.0.1:\(bound)"
        let client = APIClient(server: URL(string: url)!, token: token)
        say("Kouzi server: \(url) (SQLite and artifacts in \(state.path))")

        let p = "/api/v1/projects/1"
        let dataset = try upload(client, p)
        let control = try train(client, p, dataset: dataset, name: "control", settings: ["hidden_layers": 1, "units": 64, "epochs": 2])
        let candidate = try train(client, p, dataset: dataset, name: "candidate", settings: ["hidden_layers": 2, "units": 256, "epochs": 4])
        _ = try client.json("POST", p + "/deployments", body: .object([
            "name": .string("fashion"), "model": .number(Double(control.model)), "version": .string(String(control.version))]))
        _ = try client.json("PUT", p + "/deployments/fashion/split", body: .object(["variants": .array([
            .object(["name": .string("control"), "version": .string(String(control.version)), "weight": .number(50)]),
            .object(["name": .string("candidate"), "version": .string(String(candidate.version)), "weight": .number(50)]),
        ])]))
        _ = try client.json("PUT", p + "/deployments/fashion/monitoring", body: .object([
            "windowRows": .number(200), "minimumRows": .number(100), "evaluateEveryRows": .number(50),
            "evaluateEverySeconds": .number(0)]))
        say("Deployed 'fashion': version \(control.version) (control) and \(candidate.version) (candidate), 50/50 by user")

        let test = try RawData.mnist(directory: images, split: .test)
        guard case let .images(set) = test else { throw CLIError.failed("expected images in \(images)") }
        // Truths named as the model names its classes.
        let signature = try client.json("GET", p + "/models/\(control.model)/versions/\(control.version)")["signature"]
        let classes = signature?["classLabels"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let traffic = try sendTraffic(client, set, classes: classes, count: min(requests, set.labels.count))
        try report(client, p, traffic: traffic)
        try drift(client, p, set)

        say("""

            \(keepRunning ? "The server keeps running (Ctrl-C stops it)" : "The data stays in \(state.path); the server stops now (--exit)"):
              Web console: \(url)/login (paste the token below), then \(url)/p/1/deployments/fashion for the A/B test
              export KOUZI_SERVER=\(url) KOUZI_TOKEN=\(token)
              kouzi deployments list · kouzi jobs list · kouzi models list
              curl -H "Authorization: Bearer $KOUZI_TOKEN" \(url)/metrics
              curl -H "Authorization: Bearer $KOUZI_TOKEN" \(url)\(p)/deployments/fashion/split
              curl -H "Authorization: Bearer $KOUZI_TOKEN" \(url)\(p)/deployments/fashion/monitoring
              API description: \(url)/openapi.json
            """)
        if keepRunning { try runBlocking { try await server.value } } else {
            server.cancel()
            _ = try? runBlocking { try await server.value }
        }
    }

    /// Fashion-MNIST's classes in label order (its IDX files hold the numbers only).
    static let fashionClasses = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    /// Uploads the training and test images, with the names of their classes, as versions 1 and 2 of a dataset.
    private func upload(_ client: APIClient, _ p: String) throws -> Int {
        let dataset = try client.json("POST", p + "/datasets", body: .object(["name": .string("fashion-mnist")])).text("id")
        let classes = FileManager.default.temporaryDirectory.appendingPathComponent("kouzi-demo-\(UUID().uuidString)-" + ClassNamesFile.name)
        try Data((Self.fashionClasses.joined(separator: "\n") + "\n").utf8).write(to: classes)
        defer { try? FileManager.default.removeItem(at: classes) }
        let named = try client.upload(p + "/uploads", file: classes)
        for prefix in ["train", "t10k"] {
            var files: [JSONValue] = [.object(["name": .string(ClassNamesFile.name), "sha256": .string(try named.text("sha256"))])]
            for kind in ["images-idx3", "labels-idx1"] {
                let name = ["\(prefix)-\(kind)-ubyte.gz", "\(prefix)-\(kind)-ubyte"]
                    .first { FileManager.default.fileExists(atPath: images + "/" + $0) } ?? "\(prefix)-\(kind)-ubyte.gz"
                let stored = try client.upload(p + "/uploads", file: URL(fileURLWithPath: images + "/" + name))
                files.append(.object(["name": .string(name), "sha256": .string(stored.text("sha256"))]))
            }
            _ = try client.json("POST", p + "/datasets/\(dataset)/versions", body: .object(["format": .string("idx"), "files": .array(files)]))
        }
        say("Uploaded \(images) as dataset \(dataset): version 1 (training images), version 2 (test images)")
        return Int(dataset) ?? 1
    }

    /// Trains a version with the MLP template and follows its progress.
    private func train(_ client: APIClient, _ p: String, dataset: Int, name: String, settings: [String: Double]) throws
        -> (model: Int, version: Int) {
        let job = try client.json("POST", p + "/jobs", body: .object([
            "template": .string("mlp_classifier"), "model": .string("fashion"), "seed": .number(1),
            "dataset": .object(["id": .number(Double(dataset)), "version": .number(1)]),
            "test": .object(["id": .number(Double(dataset)), "version": .number(2)]),
            "hyperparameters": .object(settings.mapValues(JSONValue.number)),
        ])).text("id")
        say("Training the \(name) version (job \(job): mlp_classifier, \(settings.sorted { $0.key < $1.key }.map { "\($0.key) \(Int($0.value))" }.joined(separator: ", ")))")
        var printed = 0
        while true {
            let state = try client.json("GET", p + "/jobs/\(job)")
            // Finished epochs, from the job's metric history.
            let history = try client.json("GET", p + "/jobs/\(job)/metrics")
            let losses = history["loss"]?.arrayValue ?? [], accuracies = history["accuracy"]?.arrayValue ?? []
            while printed < losses.count {
                say("  epoch \(printed + 1)/\(Int(settings["epochs"] ?? 0)): loss \(format(losses[printed]["value"])), "
                    + "accuracy \(format(printed < accuracies.count ? accuracies[printed]["value"] : nil))")
                printed += 1
            }
            switch state.text("state") {
            case "succeeded":
                let result = state["result"] ?? .object([:])
                say("  registered model \(result.text("modelId")) version \(result.text("modelVersion")): test accuracy "
                    + "\(format(result["metrics"]?["accuracy"])), macro F1 \(format(result["metrics"]?["f1_macro"]))")
                return (Int(result.text("modelId")) ?? 1, Int(result.text("modelVersion")) ?? 1)
            case "failed", "cancelled": throw CLIError.failed("job \(job) \(state.text("state")): \(state.text("error"))")
            default: Thread.sleep(forTimeInterval: 0.5)
            }
        }
    }

    /// Sends test images one request each (a user id as routing key), returning request id, variant and truth.
    private func sendTraffic(_ client: APIClient, _ set: RawData.ImageSet, classes: [String], count: Int) throws -> [(id: String, variant: String, truth: String, predicted: String)] {
        let size = set.sampleShape.reduce(1, *)
        var sent: [(String, String, String, String)] = []
        let started = Date()
        try set.x.withUnsafeFloats { pixels in
            for i in 0..<count {
                let row = (0..<size).map { JSONValue.number(Double(pixels[i * size + $0])) }
                let answer = try client.json("POST", "/v2/models/fashion/infer", body: .object([
                    "parameters": .object(["routing_key": .string("user-\(i % 400)")]),
                    "inputs": .array([.object(["name": .string("input"), "shape": .array([.number(1), .number(Double(size))]),
                                               "datatype": .string("FP32"), "data": .array(row)])]),
                    "outputs": .array([.object(["name": .string("label")])]),
                ]))
                let label = answer["outputs"]?.arrayValue?.first?["data"]?.arrayValue?.first?.stringValue ?? ""
                sent.append((answer.text("id"), answer["parameters"]?.text("variant") ?? "", set.labels[i] < classes.count ? classes[set.labels[i]] : String(set.labels[i]), label))
            }
        }
        let seconds = Date().timeIntervalSince(started)
        say(String(format: "Sent %d test images as requests (%.0f requests/s, one at a time over HTTP)", count, Double(count) / max(seconds, 1e-9)))
        return sent
    }

    /// Posts the true labels and prints live accuracy per variant.
    private func report(_ client: APIClient, _ p: String, traffic: [(id: String, variant: String, truth: String, predicted: String)]) throws {
        for start in stride(from: 0, to: traffic.count, by: 500) {
            let items = traffic[start..<min(traffic.count, start + 500)].map {
                JSONValue.object(["requestId": .string($0.id), "label": .string($0.truth)])
            }
            _ = try client.json("POST", p + "/deployments/fashion/feedback", body: .object(["feedback": .array(items)]))
        }
        let split = try client.json("GET", p + "/deployments/fashion/split")
        say("Live accuracy from feedback:")
        for variant in split.arrayValue ?? [] {
            say("  \(variant.text("name")) (version \(variant.text("version"))): \(variant.text("requests")) requests, accuracy "
                + "\(format(variant["accuracy"])) (95 % interval \(format(variant["accuracyLow"]))–\(format(variant["accuracyHigh"])))"
                + (variant["pValue"].map { "; p-value against control \(format($0))" } ?? ""))
        }
    }

    /// Sends brighter, washed-out images and shows the drift alert.
    private func drift(_ client: APIClient, _ p: String, _ set: RawData.ImageSet) throws {
        let size = set.sampleShape.reduce(1, *)
        try set.x.withUnsafeFloats { pixels in
            for i in 0..<200 {
                let image = i % set.labels.count
                let row = (0..<size).map { JSONValue.number(Double(0.4 + 0.6 * pixels[image * size + $0])) }
                _ = try client.json("POST", "/v2/models/fashion/infer", body: .object([
                    "inputs": .array([.object(["name": .string("input"), "shape": .array([.number(1), .number(Double(size))]),
                                               "datatype": .string("FP32"), "data": .array(row)])])]))
            }
        }
        Thread.sleep(forTimeInterval: 1)
        let monitoring = try client.json("GET", p + "/deployments/fashion/monitoring")
        let report = monitoring["report"] ?? .object([:])
        say("Sent 200 washed-out images: \(report["driftedFeatures"]?.arrayValue?.count ?? 0) of \(report["features"]?.arrayValue?.count ?? 0) "
            + "input features drifted (\(format(report["driftedShare"])) of them)")
        for alert in try client.json("GET", p + "/alerts", query: ["state": "firing"]).arrayValue ?? [] {
            say("  alert firing: \(alert.text("kind")) — \(alert.text("message"))")
        }
    }

    private func format(_ value: JSONValue?) -> String {
        guard let number = value?.doubleValue else { return "–" }
        return String(format: "%.4f", number)
    }
}

/// The port the server bound, handed from its start-up callback to the waiting demo.
final class Listening: @unchecked Sendable {
    private let condition = NSCondition()
    private var port: Int?

    func set(_ port: Int) { condition.withLock { self.port = port; condition.broadcast() } }

    func wait(seconds: Double) -> Int? {
        let deadline = Date().addingTimeInterval(seconds)
        return condition.withLock {
            while port == nil, condition.wait(until: deadline) {}
            return port
        }
    }
}
