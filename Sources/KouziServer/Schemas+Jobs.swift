import KouziPlatform
import KouziTraining

extension Schemas {
    static let datasetReference: SchemaDoc = .object([("id", .id), ("version", .id)])

    /// Templates, jobs, tuning and evaluations.
    static let jobs: [(String, SchemaDoc)] = [
        ("JobEvent", .object([("event", .enumeration(["job", "log", "end"])),
                              ("data", .string)])),
        ("Hyperparameter", .object([
            ("name", .string), ("kind", .enumeration(["integer", "number", "choice", "boolean"])), ("defaultValue", .any),
            ("minimum", .number), ("maximum", .number), ("choices", .array(.string)), ("logScale", .boolean), ("description", .string),
        ], optional: ["minimum", "maximum", "choices"])),
        ("Template", .object([
            ("id", .string), ("title", .string), ("summary", .string), ("task", .string),
            ("dataKinds", .array(.string)), ("readsText", .boolean), ("hyperparameters", .array(.ref("Hyperparameter"))),
        ])),
        ("TrainingSubmission", .object([
            ("template", .string), ("spec", .map(.any)), ("target", .string), ("textColumn", .string), ("hyperparameters", .map(.any)),
            ("seed", .integer), ("dataset", datasetReference), ("test", datasetReference), ("model", .name),
            ("experiment", .name), ("maxAttempts", .integer(1...10)),
        ], optional: ["template", "spec", "target", "textColumn", "hyperparameters", "seed", "test", "model", "experiment",
                      "maxAttempts"]).requiringExactlyOne(of: ["template", "spec"])),
        ("TuningSubmission", .object([
            ("training", .ref("TrainingSubmission")),
            ("space", .map(.object([("values", .array(.any)), ("min", .number), ("max", .number), ("log", .boolean)],
                                   optional: ["values", "min", "max", "log"]))),
            ("strategy", .enumeration(["grid", "random", "successive_halving"])), ("trials", .integer(1...100)), ("metric", .string),
            ("mode", .enumeration(["min", "max"])), ("minEpochs", .integer(1...1000)), ("eta", .integer(2...10)),
        ], optional: ["trials", "metric", "mode", "minEpochs", "eta"])),
        ("EvaluationSubmission", .object([("model", .id), ("version", .nonEmpty), ("dataset", datasetReference)])),
        ("ExplanationSubmission", .object([("model", .id), ("version", .nonEmpty), ("dataset", datasetReference),
                                           ("repeats", .integer(ExplanationSubmission.repeatRange)),
                                           ("maxRows", .integer(ExplanationSubmission.rowRange))], optional: ["repeats", "maxRows"])),
        ("ModelImportances", .object([("modelID", .integer), ("versions", .array(.object([
            ("version", .integer), ("jobID", .integer), ("dataset", datasetReference), ("finishedAt", .integer), ("metric", .string),
            ("baseline", .number), ("rows", .integer), ("repeats", .integer),
            ("columns", .array(.object([("name", .string), ("mean", .number), ("standardDeviation", .number), ("lower", .number),
                                        ("upper", .number)]))),
        ], optional: ["finishedAt"])))])),
        ("PredictionSubmission", .object([("model", .id), ("version", .nonEmpty), ("dataset", datasetReference),
                                          ("chunkRows", .integer(1...1_000_000))], optional: ["chunkRows"])),
        ("Job", .object([
            ("id", .integer), ("projectID", .integer), ("kind", .enumeration(JobKind.allCases.map(\.rawValue))), ("parentID", .integer),
            ("state", .enumeration(["queued", "running", "succeeded", "failed", "cancelled"])), ("request", .any),
            ("dataset", datasetReference), ("test", datasetReference), ("modelName", .string), ("modelID", .integer),
            ("modelVersion", .integer), ("experiment", .string), ("runID", .string), ("progress", .any), ("result", .any),
            ("error", .string), ("attempts", .integer), ("maxAttempts", .integer), ("worker", .string), ("heartbeatAt", .integer),
            ("cancelRequested", .boolean), ("createdBy", .integer), ("createdAt", .integer), ("startedAt", .integer),
            ("finishedAt", .integer), ("updatedAt", .integer),
        ], optional: ["parentID", "test", "modelName", "modelID", "modelVersion", "runID", "progress", "result", "error", "worker",
                      "heartbeatAt", "startedAt", "finishedAt"])),
        ("JobLogLine", .object([("seq", .integer), ("at", .integer), ("line", .string)])),
        ("Evaluation", .object([
            ("id", .integer), ("projectID", .integer), ("modelID", .integer), ("modelVersion", .integer),
            ("dataset", datasetReference), ("jobID", .integer), ("task", .string),
            ("metrics", .map(.number)), ("report", .any), ("createdAt", .integer),
        ], optional: ["jobID"])),
    ]
}
