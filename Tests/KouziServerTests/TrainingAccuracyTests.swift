import Foundation
import KouziData
import KouziTestSupport
import Testing

/// The Fashion-MNIST folder for an accuracy run, or nil (after printing why) in a debug build or without the data.
func fashionMNISTForTraining() -> String? {
    #if DEBUG
    print("skipped: training accuracy runs need a release build (swift test -c release)")
    return nil
    #else
    guard let directory = DatasetLocator.directory(named: "fashion-mnist") else {
        print(DatasetLocator.skipMessage(for: "fashion-mnist"))
        return nil
    }
    return directory
    #endif
}

/// The issue's end-to-end run: upload Fashion-MNIST, train the CNN template, follow it, find the registered
/// version with lineage and its evaluation report; test accuracy at least 90 %.
@Suite("Training accuracy (release)")
struct TrainingAccuracyTests {
    @Test(.tags(.accuracy), .accuracyRun) func theCNNTemplateReaches90PercentOnFashionMNIST() async throws {
        guard let directory = fashionMNISTForTraining() else { return }
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        let p = "/api/v1/projects/1"
        let dataset = try await server.call(nil, "POST", p + "/datasets", json: ["name": "fashion-mnist"]).object["id"] as! Int
        // IDX files hold label numbers; classes.txt beside them names the classes.
        let names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
        let classes = try await server.call(nil, "POST", p + "/uploads", body: Data(names.joined(separator: "\n").utf8))
        for prefix in ["train", "t10k"] {
            var files: [[String: Any]] = [["name": "classes.txt", "sha256": classes.object["sha256"]!]]
            for kind in ["images-idx3", "labels-idx1"] {
                let name = "\(prefix)-\(kind)-ubyte.gz"
                let stored = try await server.call(nil, "POST", p + "/uploads",
                                                   body: try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
                files.append(["name": name, "sha256": stored.object["sha256"]!])
            }
            let version = try await server.call(nil, "POST", p + "/datasets/\(dataset)/versions", json: ["format": "idx", "files": files])
            #expect(version.status == 201, "\(version.text)")
        }
        let started = Date()
        let submitted = try await server.call(nil, "POST", p + "/jobs", json: [
            "template": "cnn_image_classifier", "dataset": ["id": dataset, "version": 1], "test": ["id": dataset, "version": 2],
            "seed": 1, "model": "fashion-cnn",
        ])
        #expect(submitted.status == 201, "\(submitted.text)")
        let id = submitted.object["id"] as! Int
        let events = JobFixtures.events(try await server.call(nil, "GET", p + "/jobs/\(id)/events").text)
        let progress = events.filter { $0.event == "job" }.compactMap { $0.data["progress"] as? [String: Any] }
        #expect(progress.count >= 3, "progress was streamed while the job ran")
        #expect(progress.contains { $0["etaSeconds"] != nil && $0["metrics"] != nil })
        let job = try await JobFixtures.waitForJob(server, id)
        let seconds = Date().timeIntervalSince(started)
        let result = job["result"] as? [String: Any] ?? [:]
        let accuracy = (result["metrics"] as? [String: Double])?["accuracy"] ?? 0
        print("Fashion-MNIST CNN template: test accuracy \(accuracy) after \(result["epochs"] ?? "?") epochs, \(Int(seconds)) s end to end")
        #expect(job["state"] as? String == "succeeded", "\(job)")
        #expect(result["reportSplit"] as? String == "test")
        #expect(accuracy >= 0.90)
        let modelID = result["modelId"] as! Int
        let version = try await server.call(nil, "GET", p + "/models/\(modelID)/versions/\(result["modelVersion"] as! Int)").object
        let lineage = version["lineage"] as? [String: Any] ?? [:]
        #expect(lineage["datasetID"] as? Int == dataset && lineage["datasetVersion"] as? Int == 1 && lineage["runID"] != nil)
        #expect((version["signature"] as? [String: Any])?["classLabels"] as? [String] == names)
        let report = try await server.call(nil, "GET", p + "/evaluations/\(result["evaluationId"] as! Int)").object
        #expect((report["dataset"] as? [String: Any])?["version"] as? Int == 2)
        let matrix = (report["report"] as? [String: Any])?["confusionMatrix"] as? [[Int]] ?? []
        #expect(matrix.count == 10 && matrix.flatMap { $0 }.reduce(0, +) == 10_000)
    }
}
