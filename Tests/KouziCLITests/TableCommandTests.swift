import Foundation
@testable import KouziCLI
import KouziInference
@testable import KouziTasks
import KouziTensor
import KouziTraining
import Testing

@Suite("CSV train, evaluate and predict")
struct TableCommandTests {
    @Test(.enabled(if: CLI.sklearn != nil, "\(DatasetLocatorMessage.sklearn)"))
    func irisEndToEnd() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = try CLI.writeIrisCSV(in: directory)
        let model = directory + "/iris.kouzi"
        let trained = try CLI.object(try CLI.run([
            "train", "--spec", CLI.exampleSpec("logistic-iris.json"), "--data", data, "--target", "species",
            "--validation-split", "0.2", "--epochs", "40", "--seed", "3", "--output", model, "--json"]))
        #expect(trained["model"] as? String == model)
        #expect(trained["examples"] as? Int == 120 && trained["validation_examples"] as? Int == 30)
        #expect((trained["history"] as? [Any])?.count == 40)
        #expect(trained["classes"] as? [String] == ["setosa", "versicolor", "virginica"])
        let accuracy = try #require((trained["metrics"] as? [String: Any])?["accuracy"] as? Double)
        #expect(accuracy > 0.85)

        let evaluated = try CLI.object(try CLI.run(["evaluate", "--model", model, "--data", data, "--json"]))
        #expect(evaluated["examples"] as? Int == 150)
        #expect(((evaluated["metrics"] as? [String: Any])?["accuracy"] as? Double ?? 0) > 0.85)
        #expect(try CLI.run(["evaluate", "--model", model, "--data", data]).contains("accuracy: 0."))

        // New flowers without the species column; one of each kind.
        let flowers = try CLI.write("sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n"
            + "6.4,3.2,4.5,1.5\n7.7,3.0,6.1,2.3\n", to: "new.csv", in: directory)
        let csvPath = directory + "/predictions.csv"
        #expect(try CLI.run(["predict", "--model", model, "--input", flowers, "--output", csvPath]).contains("Wrote 3 predictions"))
        let rows = try String(contentsOfFile: csvPath, encoding: .utf8).split(separator: "\n")
        #expect(rows.first == "prediction,probability_setosa,probability_versicolor,probability_virginica")
        #expect(rows.dropFirst().map { $0.split(separator: ",")[0] } == ["setosa", "versicolor", "virginica"])

        let json = try CLI.object(try CLI.run(["predict", "--model", model, "--input", flowers, "--format", "json"]))
        let predictions = try #require(json["predictions"] as? [[String: Any]])
        #expect(predictions.map { $0["label"] as? String } == ["setosa", "versicolor", "virginica"])
        let probabilities = try #require(predictions[0]["probabilities"] as? [Double])
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-4)

        let summary = try CLI.object(try CLI.run(["summary", "--model", model, "--json"]))
        #expect(summary["class_labels"] as? [String] == ["setosa", "versicolor", "virginica"])
        #expect((summary["preprocessing"] as? [String: Any])?["target"] as? String == "species")
        #expect(try CLI.run(["summary", "--model", model]).contains("Target: species"))
    }

    @Test func categoriesMissingValuesAndUnseenCategories() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = try CLI.write("""
            id,weight,color,age,kind
            1,4.1,black,3,cat
            2,30.5,brown,5,dog
            3,3.9,white,,cat
            4,25.0,,7,dog
            5,NA,black,2,cat
            6,28.1,black,4,dog
            7,4.4,brown,1,cat
            8,33.0,white,6,dog

            """, to: "pets.csv", in: directory)
        let spec = try CLI.write(#"{"layers": [{"type": "Dense", "units": 2, "activation": "softmax"}], "optimizer": "#
            + #"{"name": "adam", "learning_rate": 0.1}, "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]}"#,
            to: "pets.json", in: directory)
        let model = directory + "/pets.kouzi"
        try CLI.run(["train", "--spec", spec, "--data", data, "--target", "kind", "--exclude", "id", "--epochs", "30",
                     "--output", model, "--quiet"])
        let saved = try #require(try Preprocessing.saved(in: try SupervisedModel(path: model).model, path: model))
        #expect(saved.table?.columns == ["weight", "color", "age"])
        #expect(saved.table?.featureNames == ["weight", "color_black", "color_brown", "color_white", "age"])
        #expect(saved.target.classes == ["cat", "dog"])

        // An unseen colour and a missing age are handled; the target column is absent.
        let input = try CLI.write("weight,color,age\n5.0,green,2\n29,black,\n", to: "new.csv", in: directory)
        let lines = try CLI.run(["predict", "--model", model, "--input", input]).split(separator: "\n")
        #expect(lines.count == 3 && lines[1].hasPrefix("cat,") && lines[2].hasPrefix("dog,"))
        let evaluated = try CLI.object(try CLI.run(["evaluate", "--model", model, "--data", data, "--json"]))
        #expect((evaluated["metrics"] as? [String: Any])?["accuracy"] as? Double == 1)

        let noColor = try CLI.write("weight,age\n5.0,2\n", to: "no-color.csv", in: directory)
        #expect(CLI.execute(["predict", "--model", model, "--input", noColor]).error
            == "error: \(noColor): missing feature column 'color' that the model was trained on (the file has: weight, age)\n")
        let text = try CLI.write("weight,color,age\n5,black,2\nheavy,black,2\n", to: "text.csv", in: directory)
        #expect(CLI.execute(["predict", "--model", model, "--input", text]).error
            .contains("\(text):3: column 1 ('weight'): non-numeric value \"heavy\""))
        let unknown = try CLI.write("weight,color,age,kind\n5,black,2,bird\n", to: "bird.csv", in: directory)
        #expect(CLI.execute(["evaluate", "--model", model, "--data", unknown]).error.contains("unknown label \"bird\""))
        #expect(CLI.execute(["train", "--spec", spec, "--data", data, "--target", "nope"]).error
            .contains("there is no column 'nope' to use as --target (columns: id, weight, color, age, kind)"))
        #expect(CLI.execute(["train", "--spec", CLI.exampleSpec("logistic-iris.json"), "--data", data, "--target", "kind",
                             "--output", directory + "/x.kouzi"]).error
            .contains("the model's last layer has 3 units but target 'kind' has 2 classes (cat, dog)"))
        #expect(CLI.execute(["train", "--spec", spec, "--data", data, "--target", "kind", "--output", data]).error
            .contains("refusing to overwrite"))
    }

    /// `kouzi export` writes a table model with its preprocessing: ONNX Runtime, given the raw columns (a missing
    /// number as NaN, a missing or unseen category as text), gives the probabilities `kouzi predict` gives.
    @Test(.enabled(if: CLI.onnxRuntime, "python3 with onnx, onnxruntime and safetensors is not installed"))
    func exportedTableModelTakesTheColumns() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = try CLI.write("""
            weight,color,age,kind
            4.1,black,3,cat
            30.5,brown,5,dog
            3.9,white,,cat
            25.0,,7,dog
            NA,black,2,cat
            28.1,black,4,dog

            """, to: "pets.csv", in: directory)
        let spec = try CLI.write(#"{"layers": [{"type": "Dense", "units": 4, "activation": "tanh"}, {"type": "Dense", "units": 2, "#
            + #""activation": "softmax"}], "optimizer": {"name": "adam", "learning_rate": 0.1}, "loss": "sparse_categorical_crossentropy"}"#,
            to: "pets.json", in: directory)
        let model = directory + "/pets.kouzi", file = directory + "/case/model.onnx"
        try CLI.run(["train", "--spec", spec, "--data", data, "--target", "kind", "--epochs", "10", "--output", model, "--quiet"])
        try FileManager.default.createDirectory(atPath: directory + "/case", withIntermediateDirectories: true)
        let exported = try CLI.object(try CLI.run(["export", "--model", model, "--format", "onnx", "--output", file, "--json"]))
        #expect(exported["output"] as? String == file && (exported["bytes"] as? Int ?? 0) > 100)

        let weights: [Float] = [5.0, 29, .nan, 4.0], ages: [Float] = [2, .nan, 4, 1], colors = ["green", "black", "", "white"]
        let csv = try CLI.write("weight,color,age\n" + (0..<4).map { i in
            [weights[i].isNaN ? "" : "\(weights[i])", colors[i], ages[i].isNaN ? "" : "\(ages[i])"].joined(separator: ",")
        }.joined(separator: "\n") + "\n", to: "new.csv", in: directory)
        let predicted = try CLI.object(try CLI.run(["predict", "--model", model, "--input", csv, "--format", "json"]))
        let expected = try #require(predicted["predictions"] as? [[String: Any]]).map { $0["probabilities"] as? [Double] ?? [] }

        try SafeTensors.write([("weight", Tensor(weights)), ("age", Tensor(ages))], to: directory + "/case/inputs.safetensors")
        try JSONSerialization.data(withJSONObject: ["color": colors]).write(to: URL(fileURLWithPath: directory + "/case/inputs.json"))
        let run = try CLI.python([CLI.specsDirectory + "/../../scripts/onnx/run_onnxruntime.py", directory + "/case"])
        let failure = try? String(contentsOfFile: directory + "/case/error.txt", encoding: .utf8)
        #expect(run.status == 0 && failure == nil, "\(run.output) \(failure ?? "")")
        let served = try SafeTensors.read(from: directory + "/case/outputs.safetensors").tensors["output"]?.scalars ?? []
        #expect(served.count == 8)
        for (row, probabilities) in expected.enumerated() {
            for (k, p) in probabilities.enumerated() where row * 2 + k < served.count {
                #expect(abs(Double(served[row * 2 + k]) - p) < 1e-5, "row \(row): ONNX Runtime \(served[(row * 2)..<(row * 2 + 2)]) vs \(probabilities)")
            }
        }
        #expect(try CLI.run(["export", "--model", model, "--network-only", "--output", directory + "/net.onnx"]).contains("Wrote"))
    }

    @Test func unusableTablesAreExplained() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let classifier = CLI.exampleSpec("logistic-iris.json"), regressor = CLI.exampleSpec("regression-diabetes.json")
        func failure(_ spec: String, _ csv: String, target: String = "y") throws -> String {
            let data = try CLI.write(csv, to: "\(UUID().uuidString).csv", in: directory)
            let result = CLI.execute(["train", "--spec", spec, "--data", data, "--target", target, "--output", directory + "/m.kouzi"])
            #expect(result.status == 1)
            return result.error.replacingOccurrences(of: data, with: "DATA")
        }
        #expect(try failure(classifier, "x,y\n") == "error: DATA: the data has no rows\n")
        #expect(try failure(classifier, "y\na\nb\n") == "error: DATA: there are no feature columns besides the target 'y'\n")
        #expect(try failure(classifier, "x,y\n1,a\n2,a\n")
            == "error: target column 'y' has only one class (a); a classifier needs examples of at least two\n")
        #expect(try failure(classifier, "x,y\n1,1.5\n2,3\n").contains("holds the non-integer 1.5 (data row 1)"))
        #expect(try failure(regressor, "x,y\n1,inf\n2,3\n") == "error: target column 'y' has the infinite value inf in data row 1\n")
        #expect(try failure(regressor, "x,y\ninf,1\n2,3\n") == "error: column 'x' has the infinite value inf in data row 1\n")
        #expect(try failure(regressor, "x,y\n1,a\n2,b\n").contains("target column 'y' holds text, but the loss is a regression loss"))
        #expect(try failure(classifier, "x,y\n1,a\n2,b,3\n") == "error: DATA:3: expected 2 fields, found 3\n")
        #expect(try failure(classifier, "x,y\n1,a\n2,\n").contains("target column 'y' has a missing value in data row 2"))
    }

    @Test func regressionPredictsInTheTargetsUnits() throws {
        let directory = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var lines = ["x,y"]
        for i in 0..<60 { let x = Double(i) / 6; lines.append("\(x),\(3 * x + 50)") }
        let data = try CLI.write(lines.joined(separator: "\n") + "\n", to: "line.csv", in: directory)
        let spec = try CLI.write(#"{"layers": [{"type": "Dense", "units": 1}], "optimizer": {"name": "adam", "learning_rate": 0.05},"#
            + #" "loss": "mse", "metrics": ["mae"]}"#, to: "line.json", in: directory)
        let model = directory + "/line.kouzi"
        let trained = try CLI.object(try CLI.run(["train", "--spec", spec, "--data", data, "--target", "y", "--epochs", "60",
                                                  "--batch-size", "10", "--output", model, "--json"]))
        #expect(((trained["metrics"] as? [String: Any])?["mae"] as? Double ?? 99) < 1)
        let input = try CLI.write("x\n0\n10\n", to: "points.csv", in: directory)
        let json = try CLI.object(try CLI.run(["predict", "--model", model, "--input", input, "--json"]))
        let values = try #require(json["predictions"] as? [Double])
        #expect(values.count == 2 && abs(values[0] - 50) < 1.5 && abs(values[1] - 80) < 1.5)
        #expect(try CLI.run(["predict", "--model", model, "--input", input]).hasPrefix("prediction\n"))
    }
}

/// Skip messages for tests that need the shared datasets.
enum DatasetLocatorMessage {
    static let sklearn = "dataset 'sklearn-bundled' not found: set KOUZI_DATASETS or place the data in ../shared/datasets/sklearn-bundled"
}
