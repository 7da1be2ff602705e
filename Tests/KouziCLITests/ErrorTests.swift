import Foundation
import KouziNN
import Testing
@testable import KouziCLI
import KouziTraining

@Suite("Errors and exit codes")
struct ErrorTests {
    @Test func usageErrorsExitWithTwo() {
        let cases: [([String], String)] = [
            (["train"], "Missing expected argument '--spec <file>'"),
            (["train", "--spec", "s.json", "--data", "d.csv", "--epochs", "0"], "--epochs must be at least 1, got 0"),
            (["train", "--spec", "s.json", "--data", "d.csv", "--validation-split", "1"], "--validation-split must be in [0, 1)"),
            (["train", "--spec", "s.json"], "no data given"),
            (["train", "--spec", "s.json", "--images", "i.idx"], "--images needs --labels"),
            (["train", "--spec", "s.json", "--data", "d.csv", "--images", "i", "--labels", "l"], "either --data or --images"),
            (["train", "--spec", "s.json", "--data", "d.csv", "--format", "parquet"], "parquet"),
            (["evaluate", "--model", "m.kouzi", "--data", "d.csv", "--split", "test"], "--split applies to MNIST"),
            (["predict", "--model", "m.kouzi"], "Missing expected argument '--input <file>'"),
            (["summary"], "give exactly one of --model PATH and --spec FILE"),
            (["frobnicate"], "Unexpected argument 'frobnicate'"),
        ]
        for (arguments, expected) in cases {
            let result = CLI.execute(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.error.hasPrefix("error: ") && result.error.contains(expected), "\(arguments): \(result.error)")
        }
        let json = CLI.execute(["train", "--json"])
        #expect(json.status == 2)
        #expect((try? json.json()["error"] as? String) == "Missing expected argument '--spec <file>'")
    }

    @Test func runtimeErrorsExitWithOneAndPrintJSON() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let missing = CLI.execute(["summary", "--model", directory + "/none.kouzi", "--json"])
        #expect(missing.status == 1)
        #expect(try missing.json()["error"] as? String == "model '\(directory)/none.kouzi' does not exist")
        #expect(missing.error == "error: model '\(directory)/none.kouzi' does not exist\n")

        let corrupt = directory + "/corrupt.kouzi"
        try FileManager.default.createDirectory(atPath: corrupt, withIntermediateDirectories: true)
        try CLI.write("{ not json", to: "model.json", in: corrupt)
        let result = CLI.execute(["predict", "--model", corrupt, "--input", corrupt + "/model.json"])
        #expect(result.status == 1)
        #expect(result.error.hasPrefix("error: cannot load model \(corrupt): model.json is not a valid model manifest"))

        let notAModel = try CLI.write("x", to: "file.kouzi", in: directory)
        #expect(CLI.execute(["summary", "--model", notAModel]).error.contains("a model is a directory"))
        let badSpec = try CLI.write(#"{"layers": [{"type": "Conv9"}], "optimizer": "adam", "loss": "mse"}"#, to: "bad.json", in: directory)
        #expect(CLI.execute(["summary", "--spec", badSpec]).error.hasPrefix("error: \(badSpec): unknown layer type 'Conv9' (known: "))
        let data = try CLI.write("a,b\n1,2\n", to: "d.csv", in: directory)
        let absentData = CLI.execute(["train", "--spec", badSpec, "--data", directory + "/none.csv", "--target", "b"])
        #expect(absentData.status == 1)
        let malformed = try CLI.write("a,b\n1,2,3\n", to: "ragged.csv", in: directory)
        let ragged = CLI.execute(["train", "--spec", CLI.exampleSpec("logistic-iris.json"), "--data", malformed, "--target", "b"])
        #expect(ragged.status == 1 && ragged.error.contains("ragged.csv:2: expected 2 fields, found 3"))
        _ = data
    }

    @Test func modelsSavedFromCodeTakeRawFeatures() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = Sequential(inputShape: [3], [Dense(2, activation: .softmax)])
        try model.compile(optimizer: Adam(), loss: .sparseCategoricalCrossentropy(), metrics: ["accuracy"])
        model.classLabels = ["no", "yes"]
        let path = directory + "/raw.kouzi"
        try model.save(to: path)
        let good = try CLI.write("a,b,c\n1,2,3\n0,0,0\n", to: "good.csv", in: directory)
        let lines = try CLI.run(["predict", "--model", path, "--input", good]).split(separator: "\n")
        #expect(lines.first == "prediction,probability_no,probability_yes" && lines.count == 3)
        let narrow = try CLI.write("a,b\n1,2\n", to: "narrow.csv", in: directory)
        let result = CLI.execute(["predict", "--model", path, "--input", narrow, "--json"])
        #expect(result.status == 1)
        #expect(try result.json()["error"] as? String == "\(narrow): each sample has 2 features but the model takes 3")
        let labelled = try CLI.write("a,b,c,y\n1,2,3,yes\n0,0,0,no\n", to: "labelled.csv", in: directory)
        let evaluated = try CLI.object(try CLI.run(["evaluate", "--model", path, "--data", labelled, "--target", "y", "--json"]))
        #expect(evaluated["examples"] as? Int == 2)
    }
}
