import Foundation
import Hummingbird
import KouziPlatform

extension APIRoutes {
    /// Experiment tracking: experiments, runs with their parameters, tags and latest metrics, metric histories and
    /// artifacts. Runs are written by training jobs and MLflow clients; this API reads them.
    static func tracking(_ platform: Platform) -> [Endpoint] {
        let tracking = platform.tracking
        struct NewExperiment: Codable { var name: String; var tags: [String: String]? }
        let experiments = "/api/v1/projects/{project}/experiments"
        let run = "/api/v1/projects/{project}/runs/{run}"
        return [
            Endpoint(method: .get, path: experiments, operationID: "listExperiments", summary: "Active experiments of a project",
                     tag: "tracking", query: pageQuery,
                     responses: [(200, "Experiments", .json(.array(.ref("Experiment"))))]) { request, context in
                let (limit, offset) = try page(request)
                return try JSON.response(try await tracking.experiments(try context.caller, projectID: try context.id("project"),
                                                                        limit: limit, offset: offset))
            },
            Endpoint(method: .post, path: experiments, operationID: "createExperiment", summary: "Create an experiment",
                     tag: "tracking", request: .json(.ref("NewExperiment")),
                     responses: [(201, "The experiment", .json(.ref("Experiment")))]) { request, context in
                let body = try await JSON.decode(NewExperiment.self, from: request, context: context)
                return try JSON.response(try await tracking.createExperiment(try context.caller, projectID: try context.id("project"),
                                                                             name: body.name, tags: body.tags ?? [:]),
                                         status: .created)
            },
            Endpoint(method: .get, path: experiments + "/{experiment}/runs", operationID: "listRuns",
                     summary: "Active runs of an experiment, newest first, with parameters, tags and latest metrics",
                     tag: "tracking", query: pageQuery,
                     responses: [(200, "Runs", .json(.array(.ref("Run"))))]) { request, context in
                let (limit, offset) = try page(request)
                return try JSON.response(try await tracking.runs(try context.caller, projectID: try context.id("project"),
                                                                 experimentIDs: [try context.id("experiment")],
                                                                 limit: limit, offset: offset))
            },
            Endpoint(method: .get, path: run, operationID: "getRun", summary: "One run", tag: "tracking",
                     responses: [(200, "The run", .json(.ref("Run")))]) { _, context in
                try JSON.response(try await tracking.run(try context.caller, projectID: try context.id("project"),
                                                         runID: try context.text("run")))
            },
            Endpoint(method: .get, path: run + "/metrics/{key}", operationID: "getMetricHistory",
                     summary: "Every point of a metric, by step", tag: "tracking",
                     responses: [(200, "The points", .json(.array(.ref("MetricPoint"))))]) { _, context in
                try JSON.response(try await tracking.metricHistory(try context.caller, projectID: try context.id("project"),
                                                                   runID: try context.text("run"), key: try context.text("key")))
            },
            Endpoint(method: .get, path: run + "/artifacts", operationID: "listRunArtifacts", summary: "A run's artifact files",
                     tag: "tracking",
                     query: [QueryDoc(name: "under", schema: .artifactFolder, description: "Only the files under this folder")],
                     responses: [(200, "The files", .json(.array(.ref("RunArtifact"))))]) { request, context in
                try JSON.response(try await tracking.artifacts(try context.caller, projectID: try context.id("project"),
                                                               runID: try context.text("run"), under: request.query("under")))
            },
            Endpoint(method: .get, path: run + "/artifacts/download", operationID: "downloadRunArtifact",
                     summary: "Download one artifact of a run", tag: "tracking",
                     query: [QueryDoc(name: "path", schema: .artifactPath, description: "The artifact's path in the run", required: true)],
                     responses: [(200, BodyDoc.fileDescription, .file)]) { request, context in
                guard let path = request.query("path") else { throw PlatformError.invalid("path", "give the artifact's path as ?path=") }
                let (artifact, reader) = try await tracking.openArtifact(try context.caller, projectID: try context.id("project"),
                                                                         runID: try context.text("run"), path: path)
                return download(reader, sha256: artifact.sha256, filename: String(artifact.path.split(separator: "/").last!),
                                contentType: mediaType(for: artifact.path))
            },
        ]
    }
}
