import ArgumentParser
import Foundation
import KouziBase
import KouziNN
import KouziONNX
import KouziTasks

/// `kouzi export`: a saved model in an exchange format other runtimes read.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a saved model as an ONNX file.",
        discussion: """
        The ONNX file holds the network (opset \(ONNXExporter.opset), open batch axis). A model trained on a table \
        takes one input per column, as the platform's endpoint does (numbers as float, NaN when missing; categories \
        as strings, empty when missing), and applies the saved imputation, one-hot encoding and scaling; other \
        models (and --network-only) take the network's own input.

        Examples:
          kouzi export --model mlp-mnist.kouzi --format onnx
          kouzi export --model mlp-mnist.kouzi --format onnx --output mnist.onnx --json
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case onnx }

    @Option(help: ArgumentHelp("A .kouzi model directory.", valueName: "path"))
    var model: String

    @Option(help: "The format to write.")
    var format: Format = .onnx

    @Option(help: ArgumentHelp("Where to write (default: the model's name with .onnx).", valueName: "file"))
    var output: String?

    @Flag(help: "Write the network alone, without the table preprocessing in front of it.")
    var networkOnly = false

    @Flag(help: "Print a machine-readable JSON description.")
    var json = false

    func run() throws {
        guard FileManager.default.fileExists(atPath: model) else { throw CLIError.missingPath(kind: "model", path: model) }
        let loaded: SupervisedModel
        do { loaded = try SupervisedModel(path: model) } catch { throw CLIError.invalidModel(path: model, reason: "\(error)") }
        let base = URL(fileURLWithPath: model).deletingPathExtension().lastPathComponent
        let target = output ?? base + ".onnx"
        do {
            let data = networkOnly ? try ONNXExporter.data(loaded.model, name: base) : try loaded.onnxData(name: base)
            try data.write(to: URL(fileURLWithPath: target), options: .atomic)
        } catch let error as ONNXError {
            throw CLIError.failed("\(model): \(error)")
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: target)[.size] as? Int) ?? 0
        if json {
            Console.current.printJSON(["model": .string(model), "output": .string(target), "format": .string(format.rawValue),
                                       "opset": .number(Double(ONNXExporter.opset)), "bytes": .number(Double(bytes))])
        } else {
            Console.current.print("Wrote \(target) (ONNX opset \(ONNXExporter.opset), \(bytes) bytes)")
        }
    }
}
