import Foundation
import KouziBase
import KouziData
import KouziInference
import KouziNN
@testable import KouziPlatform
import KouziTasks
import KouziTensor
import KouziTraining
import Logging
import Testing

/// A task the platform has never heard of, plugged in through the catalogue alone: a template that fits a line
/// to a table's two columns (as a one-weight network) and a codec that serves it as `x` → `y`. The platform
/// checks, queues, trains, registers, deploys and serves it with none of its own code naming the task.
enum LineTask {
    static let codec = CodecFactory(name: "line") { model, _ in
        model.metadata[CodecRegistry.metadataKey] == "line" ? LineCodec() : nil
    }

    static let template = AlgorithmTemplate(
        id: "line_fit", title: "Straight line", summary: "y = a·x + b by gradient descent.", task: .regression,
        dataKinds: ["table"], hyperparameters: [.integer("epochs", 200, 1...1000, "Passes over the points.")],
        check: { _, data, _, _ in
            guard Set(data.columns.map(\.name)).isSuperset(of: ["x", "y"]) else {
                throw TrainingError.invalidConfiguration(field: "dataset", message: "needs columns x and y")
            }
        },
        train: { context in
            let text = try String(contentsOfFile: context.train.files[0], encoding: .utf8)
            let rows = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map { Float(String($0))! } }
            let x = Tensor(shape: [rows.count, 1], scalars: rows.map { $0[0] }), y = Tensor(shape: [rows.count, 1], scalars: rows.map { $0[1] })
            let input = Input(shape: [1], name: "x")
            let model = try Model(inputs: input, outputs: try Dense(1, seed: 1)(input))
            model.compile(optimizer: SGD(learningRate: 0.1), loss: .meanSquaredError)
            model.metadata[CodecRegistry.metadataKey] = "line"
            let epochs = context.plan.values.int("epochs")
            let data = try KouziData.Dataset.tensorSlices(inputs: [x], targets: [y]).batched(rows.count)
            let (history, resumed) = try context.fit(model, data: data, epochs: epochs)
            try model.save(to: context.output)
            return TrainingOutcome(modelDirectory: context.output, history: history, metrics: ["mse": history.last?["loss"] ?? .nan],
                                   reportSplit: "training", resumedAfterEpoch: resumed, trainingExamples: rows.count)
        })

    static let library = TaskLibrary(name: "lines", templates: [template], codecs: [codec])
}

struct LineCodec: ServingCodec {
    var inputs: [InferTensorMetadata] { [InferTensorMetadata(name: "x", datatype: "FP32", shape: [-1])] }
    var outputs: [InferTensorMetadata] { [InferTensorMetadata(name: "y", datatype: "FP32", shape: [-1])] }
    func modelInputs(_ tensors: [InferTensor]) throws -> [Tensor] {
        guard let x = tensors.first(where: { $0.name == "x" }), case let .numbers(values, _, _) = try InferenceCodec.decode(x) else {
            throw InferenceError.invalidInput("send x")
        }
        return [Tensor(shape: [values.count, 1], scalars: values.map(Float.init))]
    }
    func answer(_ outputs: [Tensor], rows: Int, wanted: [RequestedOutput]?) throws -> [InferTensor] {
        [InferenceCodec.floats("y", outputs[0].scalars, shape: [rows])]
    }
}

@Suite("The task catalogue on the platform")
struct TaskCatalogueTests {
    @Test func aTaskPluggedInThroughTheCatalogueTrainsAndServes() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kouzi-catalogue-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = PlatformConfiguration(dataDirectory: directory)
        configuration.tasks = TaskCatalogue.standard.adding(LineTask.library)
        let platform = try await Platform.open(configuration, logger: Logger(label: "test"))
        let admin = try await platform.accounts.authenticate(secret: try await platform.accounts.bootstrap()!)
        #expect(platform.jobs.templates.map(\.id).contains("line_fit"))

        // Points on y = 2x + 1.
        let csv = "x,y\n" + (0..<20).map { "\(Double($0) / 10),\(2 * Double($0) / 10 + 1)" }.joined(separator: "\n") + "\n"
        let upload = try await platform.datasets.beginUpload(admin, projectID: 1)
        try Array(csv.utf8).withUnsafeBytes { try upload.write($0) }
        let ref = try await platform.datasets.finishUpload(admin, projectID: 1, upload: upload)
        let dataset = try await platform.datasets.create(admin, projectID: 1, name: "points", description: "")
        _ = try await platform.datasets.createVersion(admin, projectID: 1, datasetID: dataset.id, format: .csv,
                                                      files: [DatasetFile(name: "points.csv", sha256: ref.sha256, size: ref.size)])
        let reference = DatasetReference(id: dataset.id, version: 1)
        await #expect(throws: PlatformError.self) {
            try await platform.jobs.submitTraining(admin, projectID: 1, TrainingSubmission(template: "line_fit", target: "y",
                hyperparameters: ["epochs": 0], dataset: reference))
        }
        let job = try await platform.jobs.submitTraining(admin, projectID: 1, TrainingSubmission(template: "line_fit", dataset: reference,
                                                                                                   model: "line"))
        let runner = JobRunner(platform: platform, options: JobRunnerOptions(pollInterval: 0.05), logger: Logger(label: "test"))
        let work = Task { await runner.run() }
        var finished = try await platform.jobs.get(admin, projectID: 1, jobID: job.id)
        for _ in 0..<600 where !finished.state.isFinished {
            try await Task.sleep(for: .milliseconds(50))
            finished = try await platform.jobs.get(admin, projectID: 1, jobID: job.id)
        }
        work.cancel()
        #expect(finished.state == .succeeded, "\(String(describing: finished.result))")
        let modelID = try #require(finished.modelID)

        _ = try await platform.deployments.create(admin, projectID: 1, name: "line", modelID: modelID, version: "1")
        let request = InferRequest(inputs: [InferTensor(name: "x", shape: [2], datatype: "FP32", data: [.number(0.5), .number(3)])])
        var answer: [Double] = []
        for _ in 0..<100 where answer.isEmpty {
            if let reply = try? await platform.deployments.infer(admin, name: "line", version: nil, request) {
                answer = reply.response.outputs.first?.data.arrayValue?.compactMap(\.doubleValue) ?? []
            } else {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        #expect(answer.count == 2 && abs(answer[0] - 2) < 0.05 && abs(answer[1] - 7) < 0.2, "\(answer)")
        await platform.close()
    }
}
