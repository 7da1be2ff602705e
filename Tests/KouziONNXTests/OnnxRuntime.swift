import Foundation
import KouziNN
import KouziTensor
import KouziTestSupport
import Testing

/// Runs ONNX files with ONNX Runtime through `scripts/onnx/run_onnxruntime.py`, many cases in one Python process.
enum OnnxRuntime {
    /// Whether python3 has onnx, onnxruntime and safetensors (and KOUZI_SKIP_ONNX is not set).
    static let available: Bool = {
        if ProcessInfo.processInfo.environment["KOUZI_SKIP_ONNX"] == "1" { return false }
        return (try? python(["-c", "import onnx, onnxruntime, safetensors.numpy"]).status) == 0
    }()

    /// A model file to run, with its inputs by graph input name.
    struct Case {
        let name: String
        let onnx: Data
        let inputs: [String: Tensor]
    }

    /// Each case's outputs by name, or the error ONNX Runtime (or the checker) raised.
    static func run(_ cases: [Case]) throws -> [String: Result<[String: Tensor], RunError>] {
        let root = try makeTemporaryDirectory("kouzi-onnx")
        defer { try? FileManager.default.removeItem(at: root) }
        var folders: [String] = []
        for c in cases {
            let folder = root.appendingPathComponent(c.name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try c.onnx.write(to: folder.appendingPathComponent("model.onnx"))
            try SafeTensors.write(c.inputs.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                                  to: folder.appendingPathComponent("inputs.safetensors").path)
            folders.append(folder.path)
        }
        let result = try python([repositoryRoot() + "/scripts/onnx/run_onnxruntime.py"] + folders)
        guard result.status == 0 else { throw RunError(message: "run_onnxruntime.py failed: \(result.output)") }
        var outputs: [String: Result<[String: Tensor], RunError>] = [:]
        for (c, folder) in zip(cases, folders) {
            if let error = try? String(contentsOfFile: folder + "/error.txt", encoding: .utf8) {
                outputs[c.name] = .failure(RunError(message: error))
            } else {
                outputs[c.name] = .success(try SafeTensors.read(from: folder + "/outputs.safetensors").tensors)
            }
        }
        return outputs
    }

    struct RunError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// Runs python3 with `arguments`.
    static func python(_ arguments: [String]) throws -> (status: Int32, output: String) { try runPython(arguments) }
}

/// Expects `actual` to equal `expected` to a relative 1e-5 (and 1e-6 absolute near zero), reporting the worst element.
func expectEqualOutputs(_ actual: Tensor, _ expected: Tensor, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.shape == expected.shape, "\(label): shape \(actual.shape) vs ONNX Runtime's \(expected.shape)",
            sourceLocation: sourceLocation)
    guard actual.shape == expected.shape else { return }
    let a = actual.scalars, b = expected.scalars
    var worst = (index: -1, excess: Float(0))
    for i in a.indices {
        let excess = abs(a[i] - b[i]) - (1e-5 * abs(b[i]) + 1e-6)
        if excess > worst.excess { worst = (i, excess) }
    }
    #expect(worst.index < 0, "\(label): element \(worst.index) is \(worst.index >= 0 ? a[worst.index] : 0), ONNX Runtime gives \(worst.index >= 0 ? b[worst.index] : 0)",
            sourceLocation: sourceLocation)
}
