import Foundation
import KouziData
import KouziNN
import KouziTasks
import KouziTensor
import KouziTraining

extension JobRunner {
    /// Where a batch prediction stands: rows written and the CSV's length at that point.
    struct PredictionState: Codable {
        var rows: Int
        var bytes: UInt64
    }

    /// Runs a model version over a dataset version chunk by chunk, appending to a CSV in the job's work directory
    /// and recording after each chunk how far it got, so a job whose worker died resumes after the last chunk
    /// written; the finished CSV becomes the dataset's next version (parent: the input version).
    func predict(_ job: Job, control: JobControl) async throws -> JobOutcome {
        guard let modelID = job.modelID, let number = job.modelVersion else {
            throw PlatformError(.badRequest, code: "invalid_job", "prediction job \(job.id) names no model version")
        }
        let submission = try job.submission(as: PredictionSubmission.self)
        let work = workDirectory(job.id)
        let data = try await materialize(job.dataset, projectID: job.projectID, into: work.appendingPathComponent("inputs/data"))
        let directory = work.appendingPathComponent("model.kouzi", isDirectory: true)
        try? FileManager.default.removeItem(at: directory)
        _ = try await platform.models.unpackVersion(modelID: modelID, number: number, into: directory)
        let csv = work.appendingPathComponent("predictions.csv"), statePath = work.appendingPathComponent("predictions.state")
        let chunk = submission.chunkRows ?? 4096
        let jobs = platform.jobs
        let previous = (try? Data(contentsOf: statePath)).flatMap { try? JSONDecoder().decode(PredictionState.self, from: $0) }
        if let previous { try await jobs.log(jobID: job.id, "resuming after row \(previous.rows) of the previous attempt") }
        try await jobs.log(jobID: job.id, "predicting with model \(modelID) version \(number) on dataset \(job.dataset.id) version \(job.dataset.version)")
        let total: Int
        do {
            total = try await onThread("kouzi-job-\(job.id)", control: control) { () throws -> Int in
                let loaded = try SupervisedModel(path: directory.path)
                let raw = try RawData.read(data)
                let (x, columns, header) = try Self.predictionInput(raw, loaded: loaded)
                let rows = x.shape[0]
                var state = previous ?? PredictionState(rows: 0, bytes: 0)
                let fm = FileManager.default
                if state.rows == 0 || !fm.fileExists(atPath: csv.path) {
                    _ = fm.createFile(atPath: csv.path, contents: nil)
                    state = PredictionState(rows: 0, bytes: 0)
                }
                let handle = try FileHandle(forWritingTo: csv)
                defer { try? handle.close() }
                try handle.truncate(atOffset: state.bytes)
                try handle.seek(toOffset: state.bytes)
                let started = Date(), startRow = state.rows
                while state.rows < rows {
                    if control.shouldStop { throw TrainingCancelled() }
                    let end = min(rows, state.rows + chunk)
                    let part = x.slice(axis: 0, state.rows..<end)
                    let predictions = Predictions(outputs: try loaded.model.predict(part, batchSize: min(chunk, 1024)),
                                                  target: loaded.preprocessing.target, fromLogits: loaded.fromLogits)
                    var text = state.rows == 0 ? header(predictions).joined(separator: ",") + "\n" : ""
                    for i in 0..<(end - state.rows) {
                        let fields = columns(state.rows + i) + (predictions.isClassification
                            ? [predictions.classNames[predictions.classIDs[i]]] + predictions.probabilities[i].map(Predictions.number)
                            : predictions.values[i].map(Predictions.number))
                        text += fields.map { Predictions.field($0, ",") }.joined(separator: ",") + "\n"
                    }
                    try handle.write(contentsOf: Data(text.utf8))
                    try handle.synchronize()
                    state = PredictionState(rows: end, bytes: try handle.offset())
                    try AtomicFile.write(Array(try JSONEncoder().encode(state)), to: statePath.path)
                    let pace = Date().timeIntervalSince(started) / Double(max(1, end - startRow))
                    control.setProgress((try? jsonText(JSONValue.object([
                        "rows": .number(Double(end)), "total": .number(Double(rows)),
                        "etaSeconds": .number((pace * Double(rows - end) * 10).rounded() / 10),
                    ]))) ?? "")
                }
                return rows
            }
        } catch is TrainingCancelled, is StopRequest.Stopped {
            return JobOutcome(state: .cancelled)
        }
        let ref: ArtifactRef
        do { ref = try platform.artifacts.put(fileAt: csv) } catch { throw PlatformError.wrap(error) }
        let file = DatasetFile(name: "predictions-\(job.id).csv", sha256: ref.sha256, size: ref.size)
        let inspection = try await platform.datasets.inspect(format: .csv, files: [file], target: nil)
        let version = try await platform.datasets.insertVersion(
            userID: job.createdBy, projectID: job.projectID, datasetID: job.dataset.id, parent: job.dataset.version, format: .csv,
            files: [file], inspection: inspection,
            operation: .object(["type": .string("predict"), "model": .number(Double(modelID)), "modelVersion": .number(Double(number)),
                                "job": .number(Double(job.id))]))
        try await jobs.log(jobID: job.id, "wrote \(total) predictions as version \(version.number) of dataset \(job.dataset.id)")
        let result: JSONValue = .object(["datasetId": .number(Double(job.dataset.id)), "datasetVersion": .number(Double(version.number)),
                                         "rows": .number(Double(total)), "resumedAfterRow": .number(Double(previous?.rows ?? 0))])
        return JobOutcome(state: .succeeded, result: try jsonText(result))
    }

    /// The model input of every row, the input fields written before the predictions, and the CSV header.
    static func predictionInput(_ raw: RawData, loaded: SupervisedModel) throws
        -> (x: Tensor, columns: (Int) -> [String], header: (Predictions) -> [String]) {
        switch raw {
        case let .table(table, source):
            let x = try loaded.preprocessing.features(of: table, source: source, inputShape: loaded.model.inputShape)
            let values = table.columns.map(\.textValues)
            return (x, { row in values.map { $0[row] ?? "" } }, { table.columnNames + $0.header })
        case let .images(set):
            let x = try loaded.preprocessing.features(ofImages: set.x, sampleShape: set.sampleShape, source: set.source,
                                                      inputShape: loaded.model.inputShape)
            return (x, { [String($0)] }, { ["index"] + $0.header })
        }
    }
}
