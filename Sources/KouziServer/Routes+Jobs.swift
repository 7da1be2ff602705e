import Foundation
import Hummingbird
import ServiceLifecycle
import KouziPlatform
import KouziTraining

extension APIRoutes {
    /// The algorithm templates, training/evaluation/tuning jobs, their logs, metrics and live events.
    static func jobs(_ platform: Platform) -> [Endpoint] {
        let jobs = platform.jobs
        let base = "/api/v1/projects/{project}/jobs"
        let job = base + "/{job}"
        let evaluations = "/api/v1/projects/{project}/evaluations"
        return [
            Endpoint(method: .get, path: "/api/v1/templates", operationID: "listTemplates",
                     summary: "The algorithm templates: what each trains on and its hyper-parameters", tag: "jobs",
                     responses: [(200, "Templates", .json(.array(.ref("Template"))))]) { _, _ in
                try JSON.response(jobs.templates)
            },
            Endpoint(method: .post, path: base, operationID: "submitTrainingJob",
                     summary: "Queue a training job (template or spec, data, settings); checked before anything is queued",
                     tag: "jobs", request: .json(.ref("TrainingSubmission")),
                     responses: [(201, "The queued job", .json(.ref("Job")))]) { request, context in
                let body = try await JSON.decode(TrainingSubmission.self, from: request, context: context)
                return try JSON.response(try await jobs.submitTraining(try context.caller, projectID: try context.id("project"), body),
                                         status: .created)
            },
            Endpoint(method: .post, path: "/api/v1/projects/{project}/tuning", operationID: "submitTuningJob",
                     summary: "Queue a hyper-parameter search (grid, random, successive halving) with child trials", tag: "jobs",
                     request: .json(.ref("TuningSubmission")),
                     responses: [(201, "The queued search", .json(.ref("Job")))]) { request, context in
                let body = try await JSON.decode(TuningSubmission.self, from: request, context: context)
                return try JSON.response(try await jobs.submitTuning(try context.caller, projectID: try context.id("project"), body),
                                         status: .created)
            },
            Endpoint(method: .get, path: base, operationID: "listJobs", summary: "Jobs of a project, newest first", tag: "jobs",
                     query: pageQuery + [
                        QueryDoc(name: "state", schema: .enumeration(JobState.allCases.map(\.rawValue)), description: "Only jobs in this state"),
                        QueryDoc(name: "kind", schema: .enumeration(JobKind.allCases.map(\.rawValue)), description: "Only jobs of this kind"),
                        QueryDoc(name: "parent", schema: .id, description: "Only the trials of this search"),
                     ],
                     responses: [(200, "Jobs", .json(.array(.ref("Job"))))]) { request, context in
                let (limit, offset) = try page(request)
                let state = try request.query("state").map { text in
                    guard let s = JobState(rawValue: text) else { throw PlatformError.invalid("state", "'\(text)' is not a job state") }
                    return s
                }
                let kind = try request.query("kind").map { text in
                    guard let k = JobKind(rawValue: text) else { throw PlatformError.invalid("kind", "'\(text)' is not a job kind") }
                    return k
                }
                return try JSON.response(try await jobs.list(try context.caller, projectID: try context.id("project"), state: state,
                                                             kind: kind, parentID: try request.queryInt("parent", in: SchemaDoc.ids).map(Int64.init),
                                                             limit: limit, offset: offset))
            },
            Endpoint(method: .get, path: job, operationID: "getJob", summary: "One job with its progress and result", tag: "jobs",
                     responses: [(200, "The job", .json(.ref("Job")))]) { _, context in
                try JSON.response(try await jobs.get(try context.caller, projectID: try context.id("project"), jobID: try context.id("job")))
            },
            Endpoint(method: .post, path: job + "/cancel", operationID: "cancelJob",
                     summary: "Cancel a queued job, or stop a running one at its next step", tag: "jobs",
                     responses: [(200, "The job", .json(.ref("Job")))]) { _, context in
                try JSON.response(try await jobs.cancel(try context.caller, projectID: try context.id("project"), jobID: try context.id("job")))
            },
            Endpoint(method: .get, path: job + "/logs", operationID: "getJobLogs", summary: "Log lines of a job", tag: "jobs",
                     query: [QueryDoc(name: "after", schema: .integer(SchemaDoc.counts), description: "Only lines after this sequence number")],
                     responses: [(200, "Lines, oldest first", .json(.array(.ref("JobLogLine"))))]) { request, context in
                try JSON.response(try await jobs.logs(try context.caller, projectID: try context.id("project"), jobID: try context.id("job"),
                                                      after: Int64(try request.queryInt("after", in: SchemaDoc.counts) ?? 0)))
            },
            Endpoint(method: .get, path: job + "/metrics", operationID: "getJobMetrics",
                     summary: "The metric history of a job's run: name → points by step (epoch)", tag: "jobs",
                     responses: [(200, "History", .json(.map(.array(.ref("MetricPoint")))))]) { _, context in
                try JSON.response(try await jobs.history(try context.caller, projectID: try context.id("project"), jobID: try context.id("job")))
            },
            Endpoint(method: .get, path: job + "/events", operationID: "streamJobEvents",
                     summary: "Server-Sent Events: `job` whenever the job changes (progress, state), `log` for each new line, "
                        + "`end` when it has finished", tag: "jobs",
                     responses: [(200, "An event stream", .events(.ref("JobEvent")))]) { _, context in
                let principal = try context.caller
                let project = try context.id("project"), id = try context.id("job")
                _ = try await jobs.get(principal, projectID: project, jobID: id)
                return eventStream(jobs, principal: principal, projectID: project, jobID: id)
            },
            Endpoint(method: .post, path: evaluations, operationID: "submitEvaluation",
                     summary: "Queue the evaluation of a model version on a labelled dataset version", tag: "jobs",
                     request: .json(.ref("EvaluationSubmission")),
                     responses: [(201, "The queued evaluation job", .json(.ref("Job")))]) { request, context in
                let body = try await JSON.decode(EvaluationSubmission.self, from: request, context: context)
                return try JSON.response(try await jobs.submitEvaluation(try context.caller, projectID: try context.id("project"), body),
                                         status: .created)
            },
            Endpoint(method: .post, path: "/api/v1/projects/{project}/explanations", operationID: "submitExplanation",
                     summary: "Queue the column importances of a table model version on a labelled dataset version (permutation "
                        + "importance with confidence intervals), read back per version from the model's importances", tag: "jobs",
                     request: .json(.ref("ExplanationSubmission")),
                     responses: [(201, "The queued explanation job", .json(.ref("Job")))]) { request, context in
                let body = try await JSON.decode(ExplanationSubmission.self, from: request, context: context)
                return try JSON.response(try await jobs.submitExplanation(try context.caller, projectID: try context.id("project"), body),
                                         status: .created)
            },
            Endpoint(method: .get, path: "/api/v1/projects/{project}/models/{model}/importances", operationID: "getModelImportances",
                     summary: "The column importances of each version of a model, from its latest finished explanation job",
                     tag: "jobs", responses: [(200, "Importances per version, newest version first", .json(.ref("ModelImportances")))]) { _, context in
                try JSON.response(try await jobs.importances(try context.caller, projectID: try context.id("project"),
                                                             modelID: try context.id("model")))
            },
            Endpoint(method: .post, path: "/api/v1/projects/{project}/predictions", operationID: "submitPrediction",
                     summary: "Queue a batch prediction: a model version over a dataset version, written as the dataset's next "
                        + "version (resumable chunk by chunk)", tag: "jobs", request: .json(.ref("PredictionSubmission")),
                     responses: [(201, "The queued prediction job", .json(.ref("Job")))]) { request, context in
                let body = try await JSON.decode(PredictionSubmission.self, from: request, context: context)
                return try JSON.response(try await jobs.submitPrediction(try context.caller, projectID: try context.id("project"), body),
                                         status: .created)
            },
            Endpoint(method: .get, path: evaluations, operationID: "listEvaluations",
                     summary: "Evaluation reports, newest version first (of one model: comparable across its versions)", tag: "jobs",
                     query: pageQuery + [QueryDoc(name: "model", schema: .id, description: "Only reports of this model")],
                     responses: [(200, "Reports", .json(.array(.ref("Evaluation"))))]) { request, context in
                let (limit, offset) = try page(request)
                return try JSON.response(try await jobs.evaluations(try context.caller, projectID: try context.id("project"),
                                                                    modelID: try request.queryInt("model", in: SchemaDoc.ids).map(Int64.init),
                                                                    limit: limit, offset: offset))
            },
            Endpoint(method: .get, path: evaluations + "/{evaluation}", operationID: "getEvaluation",
                     summary: "One evaluation report: metrics, per-class scores, confusion matrix, ROC curves", tag: "jobs",
                     responses: [(200, "The report", .json(.ref("Evaluation")))]) { _, context in
                try JSON.response(try await jobs.evaluation(try context.caller, projectID: try context.id("project"),
                                                            evaluationID: try context.id("evaluation")))
            },
        ]
    }

    /// A job's events until it finishes: the job on every change, each new log line, then `end`.
    static func eventStream(_ jobs: JobService, principal: Principal, projectID: Int64, jobID: Int64) -> Response {
        let body = ResponseBody { writer in
            var lastUpdate: Int64 = -1, lastLine: Int64 = 0
            func send(_ event: String, _ data: String) async throws {
                try await writer.write(ByteBuffer(string: "event: \(event)\ndata: \(data)\n\n"))
            }
            while true {
                let job = try await jobs.get(principal, projectID: projectID, jobID: jobID)
                if job.updatedAt != lastUpdate {
                    lastUpdate = job.updatedAt
                    try await send("job", try jsonText(job))
                }
                for line in try await jobs.logs(principal, projectID: projectID, jobID: jobID, after: lastLine) {
                    lastLine = line.seq
                    try await send("log", try jsonText(line))
                }
                if job.state.isFinished {
                    try await send("end", "{\"state\":\"\(job.state.rawValue)\"}")
                    break
                }
                // At shutdown the stream ends without `end`: the job goes on after a restart, and clients reconnect.
                if Task.isShuttingDownGracefully { break }
                try await Task.sleep(nanoseconds: 250_000_000)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }
}
