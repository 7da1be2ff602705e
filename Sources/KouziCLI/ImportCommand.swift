import ArgumentParser
import Foundation
import KouziInference
import KouziNN
import KouziONNX

/// `kouzi import`: a model another framework wrote, as a `.kouzi` model that trains, evaluates and serves.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read an ONNX file into a .kouzi model.",
        discussion: """
        The graph's operators become Kouzi layers with the file's weights as parameters; an operator Kouzi cannot run \
        is named in the error.

        Example:
          kouzi import --onnx resnet.onnx --output resnet.kouzi
        """)

    @Option(help: ArgumentHelp("The ONNX file to read.", valueName: "file"))
    var onnx: String

    @Option(help: ArgumentHelp("The .kouzi directory to write (default: the file's name with .kouzi).", valueName: "path"))
    var output: String?

    @Flag(help: "Print a machine-readable JSON description.")
    var json = false

    func run() throws {
        guard FileManager.default.fileExists(atPath: onnx) else { throw CLIError.missingPath(kind: "ONNX file", path: onnx) }
        let model: Model
        do { model = try ONNXImporter.model(contentsOf: onnx) } catch let error as ONNXError {
            throw CLIError.invalidModel(path: onnx, reason: error.description)
        }
        let target = output ?? URL(fileURLWithPath: onnx).deletingPathExtension().lastPathComponent + ".kouzi"
        // Served (by the platform and kouzi-infer) with the graph's own input and output names.
        model.metadata[CodecRegistry.metadataKey] = TensorCodec.name
        try model.save(to: target)
        let inputs = model.inputSignature.map { "\($0.name) \($0.shape)" }.joined(separator: ", ")
        if json {
            Console.current.printJSON(["onnx": .string(onnx), "output": .string(target), "parameters": .number(Double(model.parameterCount)),
                                       "inputs": .strings(model.inputSignature.map(\.name))])
        } else {
            Console.current.print("Wrote \(target) (\(model.parameterCount) parameters; inputs \(inputs))")
        }
    }
}
