import Foundation
import KouziNN
import KouziTensor
import Testing

/// ONNX on the platform: a file written elsewhere registers, deploys and answers the stock tritonclient as ONNX
/// Runtime would; any network version downloads as an ONNX file that ONNX Runtime runs; bad files are clear 4xx.
@Suite("ONNX on the platform",
       .enabled(if: ProcessInfo.processInfo.environment["KOUZI_SKIP_ONNX"] != "1", "KOUZI_SKIP_ONNX=1"))
struct ONNXServingTests {
    let p = "/api/v1/projects/1"

    func python(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await MLflowClientTests.python(arguments)
    }

    @Test func anUploadedONNXModelServesTheStockClient() async throws {
        let probe = try await python(["-c", "import onnx, onnxruntime, tritonclient.http, safetensors.numpy"])
        try #require(probe.status == 0, "python3 lacks onnx, onnxruntime, tritonclient or safetensors (run scripts/setup.sh): \(probe.output)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-serving-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let made = try await python(["scripts/onnx/foreign_models.py", folder.path])
        #expect(made.status == 0, "\(made.output)")
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        let model = try await server.call(nil, "POST", p + "/models", json: ["name": "foreign"]).object["id"] as! Int
        for (number, name) in ["helper_mlp", "helper_cnn"].enumerated() {
            let file = try Data(contentsOf: folder.appendingPathComponent(name + "/model.onnx"))
            let version = try await server.call(nil, "POST", p + "/models/\(model)/versions?format=onnx", body: file,
                                                contentType: "application/octet-stream")
            #expect(version.status == 201, "\(version.text)")
            #expect((version.object["tags"] as? [String: String])?["source_format"] == "onnx")
            let deployment = "foreign-\(number + 1)"
            let created = try await server.call(nil, "POST", p + "/deployments",
                                                json: ["name": deployment, "model": model, "version": "\(number + 1)"])
            #expect(created.status == 201, "\(created.text)")
            try await GraphServingTests().waitReady(server, deployment)
            let run = try await python(["scripts/onnx/triton_onnx_check.py", "127.0.0.1:\(server.process.port)", server.admin.token!,
                                        deployment, folder.appendingPathComponent(name).path])
            #expect(run.status == 0, "\(name): \(run.output)")
        }
        // Bad files: each a 422 naming what is wrong, and nothing registered.
        let cnn = try Data(contentsOf: folder.appendingPathComponent("helper_cnn/model.onnx"))
        let truncated = try await server.call(nil, "POST", p + "/models/\(model)/versions?format=onnx", body: cnn.prefix(cnn.count / 3),
                                              contentType: "application/octet-stream")
        #expect(truncated.status == 422 && truncated.code == "invalid_onnx_model", "\(truncated.text)")
        let zipAsONNX = try await server.call(nil, "POST", p + "/models/\(model)/versions?format=onnx",
                                              body: try GraphServingTests.package(try GraphServingTests.siamese()),
                                              contentType: "application/octet-stream")
        #expect(zipAsONNX.status == 422 && zipAsONNX.text.contains("not a readable ONNX model"), "\(zipAsONNX.text)")
        let badFormat = try await server.call(nil, "POST", p + "/models/\(model)/versions?format=tflite", body: cnn,
                                              contentType: "application/octet-stream")
        #expect(badFormat.status == 400, "\(badFormat.text)")
        let versions = try await server.call(nil, "GET", p + "/models/\(model)/versions").array
        #expect(versions.count == 2)
        try await server.checkAgainstOpenAPI()
    }

    @Test func aNativeVersionDownloadsAsONNX() async throws {
        let probe = try await python(["-c", "import onnx, onnxruntime, safetensors.numpy"])
        try #require(probe.status == 0, "python3 lacks onnx, onnxruntime or safetensors (run scripts/setup.sh): \(probe.output)")
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        let siamese = try GraphServingTests.siamese()
        let model = try await server.call(nil, "POST", p + "/models", json: ["name": "pairs"]).object["id"] as! Int
        let version = try await server.call(nil, "POST", p + "/models/\(model)/versions", body: try GraphServingTests.package(siamese),
                                            contentType: "application/zip")
        #expect(version.status == 201, "\(version.text)")
        let download = try await server.call(nil, "GET", p + "/models/\(model)/versions/1/download?format=onnx")
        #expect(download.status == 200 && download.headers["content-disposition"]?.contains(".onnx") == true, "\(download.status)")
        // ONNX Runtime on the downloaded file gives what the model gives.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-download-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try download.body.write(to: folder.appendingPathComponent("model.onnx"))
        let left = Tensor(shape: [3, 4], scalars: (0..<12).map { Float($0) / 7 - 0.5 })
        let right = Tensor(shape: [3, 4], scalars: (0..<12).map { Float($0 % 5) / 3 - 0.4 })
        try SafeTensors.write([("left", left), ("right", right)], to: folder.appendingPathComponent("inputs.safetensors").path)
        let run = try await python(["scripts/onnx/run_onnxruntime.py", folder.path])
        #expect(run.status == 0 && !FileManager.default.fileExists(atPath: folder.appendingPathComponent("error.txt").path),
                "\(run.output) \((try? String(contentsOf: folder.appendingPathComponent("error.txt"), encoding: .utf8)) ?? "")")
        let theirs = try SafeTensors.read(from: folder.appendingPathComponent("outputs.safetensors").path).tensors["same"]!
        let ours = try siamese.predict([left, right])[0]
        #expect(zip(theirs.scalars, ours.scalars).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) }, "\(theirs.scalars) vs \(ours.scalars)")
        let badFormat = try await server.call(nil, "GET", p + "/models/\(model)/versions/1/download?format=pt")
        #expect(badFormat.status == 400, "\(badFormat.text)")
        try await server.checkAgainstOpenAPI()
    }
}
