import ArgumentParser
import Foundation
import KouziData
import KouziInference
import KouziNN
import KouziTasks
import KouziTensor
import KouziTraining

/// The format of written predictions.
enum PredictionFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case csv, json
}

/// `kouzi predict`: runs a saved model on new examples.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict with a saved model from a CSV or IDX file.",
        discussion: """
        A CSV input (.csv, .tsv, .txt, optionally .gz) needs the feature columns the model was trained \
        on; other columns, the target among them, are ignored. Any other file is read as IDX images. \
        A classifier writes the predicted label and one probability column per class; a regressor writes \
        the predicted value. Predictions go to standard output unless --output names a file; the format \
        is --format, else the output file's extension, else CSV (JSON with --json).

        Examples:
          kouzi predict --model logistic-iris.kouzi --input new-flowers.csv
          kouzi predict --model mlp-mnist.kouzi \\
              --input t10k-images-idx3-ubyte.gz --output predictions.json
        """)

    @Option(help: ArgumentHelp("The .kouzi model directory.", valueName: "path"))
    var model: String

    @Option(help: ArgumentHelp("The examples: a CSV file or an IDX images file.", valueName: "file"))
    var input: String

    @Option(help: ArgumentHelp("Write the predictions to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Option(help: "The predictions' format: csv or json.")
    var format: PredictionFormat?

    @Option(help: "The field separator of a CSV input.")
    var delimiter: String = ","

    @Flag(help: "Print machine-readable JSON (the predictions, or a note of the written file).")
    var json = false

    mutating func validate() throws {
        guard delimiter.utf8.count == 1, let byte = delimiter.utf8.first, byte != 0x22, byte != 0x0A, byte != 0x0D else {
            throw ValidationError("--delimiter must be one ASCII character other than a quote or a line break, got '\(delimiter)'")
        }
        if json && output == nil && format == .csv {
            throw ValidationError("--json prints JSON on standard output; write CSV with --output FILE --format csv")
        }
    }

    /// Whether `path` is read as CSV (by its name), rather than IDX.
    static func isCSV(_ path: String) -> Bool {
        var name = path.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        return [".csv", ".tsv", ".txt"].contains { name.hasSuffix($0) }
    }

    func run() throws {
        let loaded = try SupervisedModel(path: model)
        guard FileManager.default.fileExists(atPath: input) else { throw CLIError.missingPath(kind: "input", path: input) }
        let x: Tensor
        let preprocessing = loaded.preprocessing
        if Self.isCSV(input) {
            let reader = CSVReader(delimiter: Character(delimiter), trimsWhitespace: true)
            let table = try preprocessing.table?.read(file: input, reader: reader) ?? reader.read(file: input)
            x = try preprocessing.features(of: table, source: input, inputShape: loaded.model.inputShape)
        } else {
            let file: IDXFile
            do { file = try IDXFile(contentsOf: input) } catch let error as IDXError {
                switch error {
                case .badMagic, .truncatedHeader, .unsupportedType:
                    throw CLIError.invalidData("\(error) (a CSV input needs a name ending in .csv, .tsv or .txt)")
                default: throw error
                }
            }
            x = try preprocessing.features(ofImages: file, inputShape: loaded.model.inputShape)
        }
        guard x.rank >= 1, x.shape[0] > 0 else { throw CLIError.invalidData("\(input): there are no examples to predict") }
        let outputs = try loaded.model.predict(x)
        let predictions = Predictions(outputs: outputs, target: preprocessing.target, fromLogits: loaded.fromLogits)
        let console = Console.current
        let chosen = format ?? (output.map { $0.lowercased().hasSuffix(".json") ? .json : .csv } ?? (json ? .json : .csv))
        let text = chosen == .json ? predictions.json.rendered() + "\n" : predictions.csv()
        guard let output else {
            if chosen == .json { console.printJSON(predictions.json) } else { console.print(String(text.dropLast())) }
            return
        }
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
            throw CLIError.failed("cannot write '\(output)': \(error.localizedDescription)")
        }
        if json {
            console.printJSON(.object(["output": .string(output), "format": .string(chosen.rawValue),
                                       "predictions": .number(Double(predictions.count))]))
        } else {
            console.print("Wrote \(predictions.count) predictions to \(output)")
        }
    }
}
