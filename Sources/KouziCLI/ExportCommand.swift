import ArgumentParser
import Foundation
import KouziBase
import KouziNN
import KouziONNX

/// `kouzi export`: a saved model in an exchange format other runtimes read.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a saved model as an ONNX file.",
        discussion: """
        The ONNX file holds the network (opset \(ONNXExporter.opset), open batch axis); it takes the network's input, \
        after the preprocessing the .kouzi file keeps (scaling, one-hot columns, image decoding).

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

    @Flag(help: "Print a machine-readable JSON description.")
    var json = false

    func run() throws {
        guard FileManager.default.fileExists(atPath: model) else { throw CLIError.missingPath(kind: "model", path: model) }
        let network: Model
        do { network = try Model.load(from: model) } catch { throw CLIError.invalidModel(path: model, reason: "\(error)") }
        let base = URL(fileURLWithPath: model).deletingPathExtension().lastPathComponent
        let target = output ?? base + ".onnx"
        do { try ONNXExporter.write(network, to: target, name: base) } catch let error as ONNXError {
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
