import Foundation
import KouziData
@testable import KouziInference
import KouziNN
@testable import KouziTasks
@testable import KouziTraining
import Testing

/// The library entry point of edge bundles: Open Inference Protocol requests and CSV rows answered in-process,
/// exactly as the model's own preprocessing and predictions read them.
@Suite("Edge model: in-process inference with no server")
struct EdgeModelTests {
    /// Trains a small table classifier (two numeric columns and a categorical one) into `dir/blobs.kouzi`.
    func trainedModel(in dir: String) throws -> String {
        try writeBlobsCSV(rows: 200, to: dir + "/train.csv")
        let plan = try TrainingPlan(TrainingRequest(template: "mlp_classifier", target: "label",
                                                    hyperparameters: ["epochs": .number(3), "units": .number(8)], seed: 3))
        _ = try TrainingSession(plan: plan, train: .csv(path: dir + "/train.csv"), test: nil, checkpointDirectory: dir + "/ckpt")
            .run(output: dir + "/blobs.kouzi")
        return dir + "/blobs.kouzi"
    }

    func request(_ x1: [Double], _ x2: [Double], _ colour: [String], outputs: [String]? = nil) -> InferRequest {
        InferRequest(id: "r1", inputs: [
            InferTensor(name: "x1", shape: [x1.count], datatype: "FP32", data: .array(x1.map { .number($0) })),
            InferTensor(name: "x2", shape: [x2.count], datatype: "FP64", data: .array(x2.map { .number($0) })),
            InferTensor(name: "colour", shape: [colour.count], datatype: "BYTES", data: .array(colour.map { .string($0) })),
        ], outputs: outputs?.map { RequestedOutput(name: $0) })
    }

    @Test func protocolAndCSVAnswersMatchTheModelsOwnPredictions() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try trainedModel(in: dir)
        let edge = try EdgeModel(path: path)
        #expect(edge.name == "blobs" && edge.version == nil && edge.manifest == nil)
        #expect(edge.metadata.inputs.map(\.name) == ["x1", "x2", "colour"])
        #expect(edge.metadata.inputs.map(\.datatype) == ["FP32", "FP32", "BYTES"])
        #expect(edge.metadata.outputs.map(\.name) == ["probabilities", "label", "class_id"])

        let csv = "x1,x2,colour\n0.9,0.8,red\n-0.7,-0.9,blue\n0.1,-0.4,green\n"
        let loaded = try SupervisedModel(path: path)
        let table = try CSVReader(trimsWhitespace: true).read(string: csv)
        let x = try loaded.preprocessing.features(of: table, source: "rows", inputShape: loaded.model.inputShape)
        let expected = Predictions(outputs: try loaded.model.predict(x), target: loaded.preprocessing.target,
                                   fromLogits: loaded.fromLogits)

        let response = try edge.infer(request([0.9, -0.7, 0.1], [0.8, -0.9, -0.4], ["red", "blue", "green"]))
        #expect(response.modelName == "blobs" && response.id == "r1" && response.modelVersion == nil)
        #expect(response.outputs.map(\.name) == ["probabilities", "label", "class_id"])
        let probabilities = response.outputs[0].data.arrayValue?.compactMap(\.doubleValue) ?? []
        #expect(response.outputs[0].shape == [3, expected.classNames.count])
        #expect(zip(probabilities, expected.probabilities.flatMap { $0 }).allSatisfy { abs($0 - Double($1)) < 1e-6 })
        #expect(probabilities.count == expected.probabilities.flatMap { $0 }.count)
        #expect(response.outputs[1].data.arrayValue?.compactMap(\.stringValue) == expected.classIDs.map { expected.classNames[$0] })
        #expect(try edge.predictCSV(Array(csv.utf8)) == expected.csv())

        let only = try edge.infer(request([0.9], [0.8], ["red"], outputs: ["label"]))
        #expect(only.outputs.map(\.name) == ["label"])
        let json = try edge.infer(json: JSONEncoder().encode(request([0.9], [0.8], ["red"])))
        #expect(try JSONDecoder().decode(InferResponse.self, from: json).outputs.count == 3)
    }

    @Test func aBundleNamesItsAnswersAndBadInputGetsATypedError() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bundle = dir + "/bundle"
        try FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: try trainedModel(in: dir), toPath: bundle + "/model")
        let manifest = EdgeManifest(deployment: "blobs-prod", model: .init(id: 4, name: "blobs"), version: 3,
                                    exportedAt: "2026-01-01T00:00:00Z", files: [:])
        try manifest.encoded().write(to: URL(fileURLWithPath: bundle + "/manifest.json"))
        for path in [bundle, bundle + "/model"] {
            let edge = try EdgeModel(path: path)
            #expect(edge.name == "blobs-prod" && edge.version == "3" && edge.manifest == manifest)
            #expect(try edge.infer(request([0.5], [0.5], ["red"])).modelVersion == "3")
        }
        let edge = try EdgeModel(path: bundle)

        func refused(_ fragment: String, _ work: () throws -> Any) {
            do {
                _ = try work()
                Issue.record("expected an error containing '\(fragment)'")
            } catch {
                #expect("\(error)".contains(fragment), "\(error)")
            }
        }
        refused("missing input 'x2'") { try edge.infer(InferRequest(inputs: [request([1], [1], ["red"]).inputs[0]])) }
        refused("unknown output 'logits'") { try edge.infer(request([1], [1], ["red"], outputs: ["logits"])) }
        refused("the request has no inputs") { try edge.infer(InferRequest(inputs: [])) }
        refused("datatype 'FP8'") {
            var bad = request([1], [1], ["red"])
            bad.inputs[0].datatype = "FP8"
            return try edge.infer(bad)
        }
        refused("cannot read the request: the body is not valid JSON") { try edge.infer(json: Data("{\"inputs\": [".utf8)) }
        refused("missing field 'inputs'") { try edge.infer(json: Data("{}".utf8)) }
        refused("missing feature column 'colour'") { try edge.predictCSV(Array("x1,x2\n1,2\n".utf8)) }
        #expect(throws: InferenceError.self) { try edge.infer(InferRequest(inputs: [])) }

        var newer = manifest
        newer.format = 99
        try newer.encoded().write(to: URL(fileURLWithPath: bundle + "/manifest.json"))
        refused("newer than this build reads") { try EdgeModel(path: bundle) }
        refused("does not exist") { try EdgeModel(path: dir + "/nowhere") }
    }
}
