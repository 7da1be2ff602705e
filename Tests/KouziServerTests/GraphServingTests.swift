import Foundation
import KouziFormats
import KouziNN
import KouziTensor
import Testing

/// Functional models on the platform: a two-input model registered from code and served by input name, and a
/// residual graph trained as a job from a JSON spec, served like any other version and exported as an edge bundle.
@Suite("Functional models on the platform")
struct GraphServingTests {
    let p = "/api/v1/projects/1"

    /// A siamese scorer: two 4-feature inputs through one shared encoder, one similarity output.
    static func siamese() throws -> Model {
        let left = Input(shape: [4], name: "left"), right = Input(shape: [4], name: "right")
        let encoder = Sequential(inputShape: [4]) { Dense(6, activation: .tanh, seed: 5); Dense(3, seed: 6) }
        let a = try encoder(left), b = try encoder(right)
        let difference = try Subtract()([a, b])
        let score = try Dense(1, activation: .sigmoid, seed: 7)(try Multiply()([difference, difference]))
        let model = try Model(inputs: [left, right], outputs: ["same": score])
        try model.compile(optimizer: Adam(learningRate: 0.01), loss: .binaryCrossentropy())
        return model
    }

    /// The package of a saved model: its two files in a ZIP.
    static func package(_ model: Model) throws -> Data {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("graph-\(UUID().uuidString).kouzi")
        defer { try? FileManager.default.removeItem(at: directory) }
        try model.save(to: directory.path)
        return Data(try ZipWriter.archive(["model.json", "weights.safetensors"].map { name in
            (name: name, bytes: Array(try Data(contentsOf: directory.appendingPathComponent(name))))
        }))
    }

    func waitReady(_ server: TestServer, _ name: String) async throws {
        for _ in 0..<300 {
            if try await server.call(nil, "GET", "/v2/models/\(name)/ready").status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("\(name) was not ready within 30 s")
    }

    @Test func aTwoInputModelRegistersAndServesByInputName() async throws {
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        let model = try Self.siamese()
        let model_ = try await server.call(nil, "POST", p + "/models", json: ["name": "pairs"]).object["id"] as! Int
        let version = try await server.call(nil, "POST", p + "/models/\(model_)/versions", body: try Self.package(model),
                                            contentType: "application/zip")
        #expect(version.status == 201, "\(version.text)")
        let signature = version.object["signature"] as? [String: Any] ?? [:]
        #expect((signature["inputs"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["left", "right"])
        _ = try await server.call(nil, "POST", p + "/deployments", json: ["name": "pairs", "model": model_, "version": "1"])
        try await waitReady(server, "pairs")
        let metadata = try await server.call(nil, "GET", "/v2/models/pairs").object
        #expect((metadata["inputs"] as? [[String: Any]])?.compactMap { $0["shape"] as? [Int] } == [[-1, 4], [-1, 4]])
        #expect((metadata["outputs"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["same"])

        let l: [Double] = [0.1, 0.2, 0.3, 0.4, 1, 1, 0, 0], r: [Double] = [0.1, 0.2, 0.3, 0.5, -1, 0, 1, 0]
        let answer = try await server.call(nil, "POST", "/v2/models/pairs/infer", json: ["inputs": [
            ["name": "right", "shape": [2, 4], "datatype": "FP32", "data": r],
            ["name": "left", "shape": [2, 4], "datatype": "FP64", "data": l],
        ]])
        #expect(answer.status == 200, "\(answer.text)")
        let served = ((answer.object["outputs"] as? [[String: Any]])?.first?["data"] as? [Double]) ?? []
        let local = try model.predict([Tensor(shape: [2, 4], scalars: l.map(Float.init)), Tensor(shape: [2, 4], scalars: r.map(Float.init))])[0]
        #expect(served.count == 2 && zip(served, local.scalars).allSatisfy { abs($0 - Double($1)) < 1e-5 }, "\(served) vs \(local.scalars)")

        let missing = try await server.call(nil, "POST", "/v2/models/pairs/infer", json: ["inputs": [
            ["name": "left", "shape": [1, 4], "datatype": "FP32", "data": [0, 0, 0, 0]],
        ]])
        #expect(missing.status == 400 && missing.text.contains("missing input 'right'"), "\(missing.text)")
        let wrongShape = try await server.call(nil, "POST", "/v2/models/pairs/infer", json: ["inputs": [
            ["name": "left", "shape": [1, 3], "datatype": "FP32", "data": [0, 0, 0]],
            ["name": "right", "shape": [1, 4], "datatype": "FP32", "data": [0, 0, 0, 0]],
        ]])
        #expect(wrongShape.status == 400 && wrongShape.text.contains("input 'left'"), "\(wrongShape.text)")
        try await server.checkAgainstOpenAPI()
    }

    @Test func aResidualGraphSpecTrainsAsAJobAndServes() async throws {
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        let dataset = try await server.call(nil, "POST", p + "/datasets", json: ["name": "tiles"]).object["id"] as! Int
        let (images, labels) = Fixtures.idxPair(count: 60)
        var files: [[String: Any]] = []
        for (name, bytes) in [("images.idx", images), ("labels.idx", labels), ("classes.txt", Data("zero\none\ntwo\n".utf8))] {
            let stored = try await server.call(nil, "POST", p + "/uploads", body: bytes)
            files.append(["name": name, "sha256": stored.object["sha256"]!])
        }
        let uploaded = try await server.call(nil, "POST", p + "/datasets/\(dataset)/versions", json: ["format": "idx", "files": files])
        #expect(uploaded.status == 201, "\(uploaded.text)")
        let spec: [String: Any] = [
            "name": "tiny-resnet", "inputs": [["name": "tile", "shape": [4, 4, 1]]],
            "nodes": [
                ["name": "stem", "type": "Conv2D", "filters": 4, "kernel_size": 3, "padding": "same"],
                ["name": "bn", "type": "BatchNorm"],
                ["name": "relu", "type": "Activation", "activation": "relu"],
                ["name": "conv", "type": "Conv2D", "filters": 4, "kernel_size": 3, "padding": "same"],
                ["name": "sum", "type": "Add", "inputs": ["conv", "relu"]],
                ["name": "pool", "type": "GlobalAveragePool2D"],
                ["name": "classes", "type": "Dense", "units": 3, "activation": "softmax"],
            ],
            "optimizer": ["name": "adam", "learning_rate": 0.05], "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"],
        ]
        let submitted = try await server.call(nil, "POST", p + "/jobs", json: [
            "spec": spec, "dataset": ["id": dataset, "version": 1], "model": "tiles", "seed": 2,
            "hyperparameters": ["epochs": 3, "batch_size": 12, "validation_split": 0],
        ])
        #expect(submitted.status == 201, "\(submitted.text)")
        let job = try await JobFixtures.waitForJob(server, submitted.object["id"] as! Int)
        #expect(job["state"] as? String == "succeeded", "\(job)")
        let result = job["result"] as? [String: Any] ?? [:]
        #expect(result["epochs"] as? Int == 3 && result["reportSplit"] as? String == "training")
        _ = try await server.call(nil, "POST", p + "/deployments", json: ["name": "tiles", "model": result["modelId"]!, "version": "1"])
        try await waitReady(server, "tiles")
        let pixels = Array(images.dropFirst(16).prefix(32)).map(Int.init)
        let answer = try await server.call(nil, "POST", "/v2/models/tiles/infer", json: ["inputs": [
            ["name": "input", "shape": [2, 16], "datatype": "UINT8", "data": pixels],
        ]])
        #expect(answer.status == 200, "\(answer.text)")
        let outputs = answer.object["outputs"] as? [[String: Any]] ?? []
        let labelsOut = outputs.first { $0["name"] as? String == "label" }?["data"] as? [String] ?? []
        #expect(labelsOut.count == 2 && labelsOut.allSatisfy { ["zero", "one", "two"].contains($0) }, "\(outputs)")

        // The graph as an edge bundle: kouzi-infer, with no server, answers the same request the same way.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("graph-edge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let bundle = directory.appendingPathComponent("tiles-edge").path
        let base = server.base.absoluteString, token = server.admin.token
        let exported = try await offPool { Result { try CLIClientTests.runKouzi(base: base, token: token, ["deployments", "export", "tiles", "--out", bundle]) } }.get()
        #expect(exported.status == 0, "\(exported.err)")
        let edge = EdgeBundleTests()
        let request = try JSONSerialization.data(withJSONObject: ["inputs": [["name": "input", "shape": [2, 16], "datatype": "UINT8", "data": pixels]]])
        let local = try await edge.run(bundle + "/kouzi-infer", ["--model", bundle], input: request)
        #expect(local.status == 0, "\(local.err)")
        let localAnswer = try JSONSerialization.jsonObject(with: Data(local.out.utf8)) as? [String: Any] ?? [:]
        #expect(edge.output(localAnswer, "label").texts == labelsOut)
        let (near, far) = (edge.output(localAnswer, "probabilities").numbers, edge.output(answer.object, "probabilities").numbers)
        #expect(near.count == 6 && zip(near, far).allSatisfy { abs($0 - $1) <= 1e-6 }, "\(near) vs \(far)")
    }
}
