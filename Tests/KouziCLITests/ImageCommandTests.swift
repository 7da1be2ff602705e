import Foundation
@testable import KouziCLI
import KouziInference
import KouziNN
@testable import KouziTasks
import KouziTraining
import Testing

@Suite("IDX images and the demo")
struct ImageCommandTests {
    static let spec = #"{"layers": [{"type": "Dense", "units": 8, "activation": "relu"}, "#
        + #"{"type": "Dense", "units": 2, "activation": "softmax"}], "optimizer": {"name": "adam", "learning_rate": 0.05}, "#
        + #""loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]}"#

    @Test func mnistStyleDirectoryAndIDXFiles() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try CLI.writeImageDataset(in: directory, side: 4, train: 60, test: 20)
        let spec = try CLI.write(Self.spec, to: "images.json", in: directory)
        let model = directory + "/images.kouzi"
        // A directory is read as MNIST-style data; training uses its train split.
        let trained = try CLI.object(try CLI.run(["train", "--spec", spec, "--data", directory, "--epochs", "15",
                                                  "--batch-size", "10", "--output", model, "--json"]))
        #expect(trained["examples"] as? Int == 60)
        let saved = try #require(try SupervisedModel(path: model).preprocessing.images)
        #expect(saved.sampleShape == [4, 4] && saved.normalized)

        // Evaluation defaults to the test split.
        let evaluated = try CLI.object(try CLI.run(["evaluate", "--model", model, "--data", directory, "--json"]))
        #expect(evaluated["examples"] as? Int == 20)
        #expect(((evaluated["metrics"] as? [String: Any])?["accuracy"] as? Double ?? 0) >= 0.9)
        let onTrain = try CLI.object(try CLI.run(["evaluate", "--model", model, "--data", directory, "--split", "train", "--json"]))
        #expect(onTrain["examples"] as? Int == 60)

        // The same files given one by one.
        let images = directory + "/t10k-images-idx3-ubyte", labels = directory + "/t10k-labels-idx1-ubyte"
        let viaFiles = try CLI.object(try CLI.run(["evaluate", "--model", model, "--images", images, "--labels", labels, "--json"]))
        #expect(viaFiles["metrics"] as? [String: Double] == evaluated["metrics"] as? [String: Double])

        let lines = try CLI.run(["predict", "--model", model, "--input", images]).split(separator: "\n")
        #expect(lines.count == 21 && lines[0] == "prediction,probability_0,probability_1")
        #expect(lines[1].hasPrefix("0,") && lines[2].hasPrefix("1,"))

        // A labels file where images are expected, and CSV input for an image model, are refused.
        #expect(CLI.execute(["predict", "--model", model, "--input", labels]).error.contains("holds no images (is it a labels file?)"))
        let csv = try CLI.write("a,b\n1,2\n", to: "x.csv", in: directory)
        #expect(CLI.execute(["predict", "--model", model, "--input", csv]).error.contains("trained on IDX images"))
        let json = try CLI.write("{}", to: "x.json", in: directory)
        #expect(CLI.execute(["predict", "--model", model, "--input", json]).error.contains("a CSV input needs a name ending in .csv"))
    }

    @Test func labelsOutOfRangeAreReported() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try CLI.writeImageDataset(in: directory, side: 4, train: 20, test: 10, labelOffset: 5)
        let spec = try CLI.write(Self.spec, to: "images.json", in: directory)
        let result = CLI.execute(["train", "--spec", spec, "--data", directory, "--epochs", "1", "--output", directory + "/m.kouzi"])
        #expect(result.status == 1)
        #expect(result.error == "error: the model's last layer has 2 units but the labels need at least 6 (labels 0…5)\n")

        // A model trained on labels 0 and 1, evaluated on data with a label 5.
        let clean = directory + "/clean"
        try FileManager.default.createDirectory(atPath: clean, withIntermediateDirectories: true)
        try CLI.writeImageDataset(in: clean, side: 4, train: 20, test: 10)
        try CLI.run(["train", "--spec", spec, "--data", clean, "--epochs", "1", "--output", directory + "/m.kouzi", "--quiet"])
        let evaluated = CLI.execute(["evaluate", "--model", directory + "/m.kouzi", "--data", directory, "--json"])
        #expect(evaluated.status == 1)
        #expect(try evaluated.json()["error"] as? String == "label 5 is out of range for 2 classes (expected 0..<2)")
    }

    @Test func demoTrainsTheReferenceMLPOnGivenData() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try CLI.writeImageDataset(in: directory, side: 28, train: 64, test: 32)
        let output = directory + "/demo.kouzi"
        let result = try CLI.object(try CLI.run(["demo", "--local", "--data", directory, "--epochs", "2", "--output", output, "--json"]))
        #expect(result["dataset"] as? String == "MNIST" && result["model"] as? String == output)
        #expect((result["history"] as? [Any])?.count == 2)
        #expect((result["test_accuracy"] as? Double ?? 0) >= 0.9)
        let model = try Sequential.load(from: output)
        #expect(model.parameterCount == 109_386)

        let text = try CLI.run(["demo", "--local", "--data", directory, "--epochs", "1", "--output", output, "--quiet"])
        #expect(text.contains("Test accuracy: ") && text.contains("Saved the model to \(output)"))
        let missing = CLI.execute(["demo", "--local", "--data", directory + "/absent"])
        #expect(missing.status == 1 && missing.error.contains("does not exist"))
        #expect(CLIError.noDemoData(searched: ["a"]).description.contains("apt-get install dataset-fashion-mnist"))
    }

    @Test func theDemoRunsTheWholeFlowOnALocalServer() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try CLI.writeImageDataset(in: directory, side: 28, train: 200, test: 60)
        let state = directory + "/state"
        let text = try CLI.run(["demo", "--data", directory, "--state", state, "--port", "0", "--requests", "120", "--exit"])
        for line in ["Uploaded \(directory) as dataset 1", "registered model 1 version 1: test accuracy",
                     "registered model 1 version 2: test accuracy", "Deployed 'fashion': version 1 (control) and 2 (candidate)",
                     "Sent 60 test images as requests", "control (version 1):", "candidate (version 2):",
                     "alert firing: drift", "export KOUZI_SERVER=http://127.0.0.1:"] {
            #expect(text.contains(line), "missing '\(line)' in:\n\(text)")
        }
        // The state directory holds the platform; a second run on it is refused with the reason.
        #expect(FileManager.default.fileExists(atPath: state + "/kouzi.sqlite"))
        let again = CLI.execute(["demo", "--data", directory, "--state", state, "--port", "0", "--exit"])
        #expect(again.status == 1 && again.error.contains("already holds a platform"), "\(again.error)")
    }
}
