import Foundation
import KouziNN
import KouziTensor
import KouziTestSupport
import Testing

func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("kouzi-\(UUID().uuidString)-\(name)").path
}

func trainedModel() throws -> (Sequential, Tensor) {
    let (x, y) = blobs(90, seed: 11)
    let model = smallClassifier()
    try model.compile(optimizer: Adam(learningRate: 0.01), loss: .sparseCategoricalCrossentropy(), metrics: ["accuracy"])
    try model.fit(x: x, y: y, epochs: 2, batchSize: 30, verbose: .silent)
    model.classLabels = ["west", "east", "north"]
    return (model, x)
}

@Suite("Model files")
struct ModelFileTests {
    @Test func saveAndLoadRestoreIdenticalPredictions() throws {
        let (model, x) = try trainedModel()
        let path = temporaryPath("m.kouzi")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path)
        let loaded = try Sequential.load(from: path)
        #expect(try loaded.predict(x).scalars == model.predict(x).scalars)
        #expect(loaded.classLabels == ["west", "east", "north"])
        #expect(loaded.loss?.name == "sparse_categorical_crossentropy")
        #expect(loaded.optimizer?.name == "adam")
        #expect(loaded.metrics.map(\.name) == ["accuracy"])
        // Saving again over an existing model replaces it atomically.
        try loaded.save(to: path)
        let manifest = try String(contentsOfFile: path + "/model.json", encoding: .utf8)
        #expect(manifest.contains("\"format_version\" : 1"))
        #expect(manifest.contains("\"class_labels\""))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
            .filter { $0.contains(".tmp-") && $0.contains((path as NSString).lastPathComponent) }
        #expect(leftovers.isEmpty)
    }

    @Test func damagedFilesGiveClearErrors() throws {
        let (model, _) = try trainedModel()
        let path = temporaryPath("bad.kouzi")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path)
        let weights = path + "/weights.safetensors"
        let full = try Data(contentsOf: URL(fileURLWithPath: weights))

        try full.prefix(full.count - 10).write(to: URL(fileURLWithPath: weights))
        let truncated = #expect(throws: NNError.self) { try Sequential.load(from: path) }
        #expect(truncated?.description.contains("weights.safetensors") == true)

        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: weights))
        #expect(throws: NNError.self) { try Sequential.load(from: path) }

        try full.write(to: URL(fileURLWithPath: weights))
        try Data("{ not json".utf8).write(to: URL(fileURLWithPath: path + "/model.json"))
        let badJSON = #expect(throws: NNError.self) { try Sequential.load(from: path) }
        #expect(badJSON?.description.contains("model.json") == true)

        #expect(throws: NNError.self) { try Sequential.load(from: path + "-missing") }
    }

    @Test func architectureWeightMismatchIsReported() throws {
        let (model, _) = try trainedModel()
        let path = temporaryPath("mismatch.kouzi")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path)
        let manifestPath = path + "/model.json"
        let text = try String(contentsOfFile: manifestPath, encoding: .utf8).replacingOccurrences(of: "\"units\" : 16", with: "\"units\" : 17")
        try text.write(toFile: manifestPath, atomically: true, encoding: .utf8)
        let error = #expect(throws: NNError.self) { try Sequential.load(from: path) }
        #expect(error?.description.contains("layers.0.kernel") == true)
    }

    @Test func pythonSafetensorsReadsTheWeights() throws {
        guard shell("python3 -c 'import safetensors.numpy'") == 0 else {
            print("skipped: Python's safetensors package is not installed")
            return
        }
        let (model, _) = try trainedModel()
        let path = temporaryPath("py.kouzi")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path)
        let kernel = model.namedParameters.first { $0.name == "layers.0.kernel" }!.parameter.value
        let script = """
        import sys, safetensors.numpy as st
        t = st.load_file(sys.argv[1])
        k = t['layers.0.kernel']
        assert k.dtype.name == 'float32' and list(k.shape) == [2, 16], (k.dtype, k.shape)
        print(repr(float(k[1, 3])), sorted(t.keys()))
        """
        let scriptPath = temporaryPath("check.py")
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: scriptPath) }
        let (status, output) = shellOutput("python3 \(scriptPath) \(path)/weights.safetensors")
        #expect(status == 0, "python failed: \(output)")
        #expect(output.contains(String(describing: Double(kernel[index: 1, 3]))) || output.contains(String(kernel[index: 1, 3])))
        #expect(output.contains("layers.1.bias"))
    }
}

@discardableResult
func shell(_ command: String) -> Int32 { shellOutput(command).status }

func shellOutput(_ command: String) -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", command]
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    do { try p.run() } catch { return (-1, "\(error)") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}
