import Foundation
import KouziTestSupport
import KouziData
import Testing
@testable import KouziCLI
import KouziTraining

/// Runs `kouzi` commands in-process with a capturing console, and writes test inputs.
enum CLI {
    /// The output of a command run through `KouziCommand.execute`.
    struct Result {
        var status: Int32
        var output: String
        var error: String

        /// The JSON object printed on the last line of standard output.
        func json() throws -> [String: Any] { try CLI.object(output) }
    }

    /// Parses `arguments` with `parseAsRoot` and runs the command; errors are thrown, output returned.
    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let console = Console(capturing: true)
        try Console.$current.withValue(console) {
            var command = try KouziCommand.parseAsRoot(arguments)
            try command.run()
        }
        return console.standardOutput
    }

    /// Runs `arguments` as the executable would, returning the exit status and both streams.
    static func execute(_ arguments: [String]) -> Result {
        let console = Console(capturing: true)
        let status = Console.$current.withValue(console) { KouziCommand.execute(arguments) }
        return Result(status: status, output: console.standardOutput, error: console.standardError)
    }

    /// The JSON object on the last non-empty line of `text`.
    static func object(_ text: String) throws -> [String: Any] {
        let line = text.split(separator: "\n").last.map(String.init) ?? ""
        let value = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try #require(value as? [String: Any], "expected a JSON object, got: \(line)")
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kouzi-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes `text` to `name` inside `directory` and returns the path.
    @discardableResult
    static func write(_ text: String, to name: String, in directory: String) throws -> String {
        let path = directory + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Writes an uncompressed IDX file of unsigned bytes.
    static func writeIDX(shape: [Int], bytes: [UInt8], to path: String) throws {
        var data: [UInt8] = [0, 0, 0x08, UInt8(shape.count)]
        for size in shape { data += [UInt8(size >> 24 & 0xFF), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)] }
        try Data(data + bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Writes an MNIST-style directory of `side`×`side` images in two classes: class 0 bright on the
    /// top half, class 1 bright on the bottom half, with a little seeded noise.
    static func writeImageDataset(in directory: String, side: Int, train: Int, test: Int, labelOffset: Int = 0) throws {
        var state: UInt64 = 42
        func noise() -> UInt8 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 59)
        }
        for (prefix, count) in [("train", train), ("t10k", test)] {
            var pixels: [UInt8] = [], labels: [UInt8] = []
            for i in 0..<count {
                let label = i % 2
                labels.append(UInt8(label + (i == 0 ? labelOffset : 0)))
                for row in 0..<side {
                    let bright = (row < side / 2) == (label == 0)
                    for _ in 0..<side { pixels.append(bright ? 200 + noise() : noise()) }
                }
            }
            try writeIDX(shape: [count, side, side], bytes: pixels, to: "\(directory)/\(prefix)-images-idx3-ubyte")
            try writeIDX(shape: [count], bytes: labels, to: "\(directory)/\(prefix)-labels-idx1-ubyte")
        }
    }

    /// The repository's `examples/specs` folder.
    static let specsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/specs").path

    /// The path of an example spec.
    static func exampleSpec(_ name: String) -> String { specsDirectory + "/" + name }

    /// The sklearn-bundled datasets folder, when present.
    static let sklearn = DatasetLocator.directory(named: "sklearn-bundled")

    /// Whether python3 has onnx, onnxruntime and safetensors (and KOUZI_SKIP_ONNX is not set).
    static let onnxRuntime: Bool = ProcessInfo.processInfo.environment["KOUZI_SKIP_ONNX"] != "1"
        && (try? python(["-c", "import onnx, onnxruntime, safetensors.numpy"]).status) == 0

    /// Runs python3 with `arguments`.
    static func python(_ arguments: [String]) throws -> (status: Int32, output: String) { try runPython(arguments) }

    /// Iris as a CSV with named columns and species names, written into `directory`.
    static func writeIrisCSV(in directory: String) throws -> String {
        let iris = try SklearnBundled.load(.iris, directory: try #require(sklearn))
        let x = iris.x.scalars, y = iris.y.intScalars
        var lines = ["sepal_length,sepal_width,petal_length,petal_width,species"]
        for i in 0..<y.count {
            lines.append((0..<4).map { String(x[i * 4 + $0]) }.joined(separator: ",") + "," + iris.classNames[y[i]])
        }
        return try write(lines.joined(separator: "\n") + "\n", to: "iris.csv", in: directory)
    }
}
