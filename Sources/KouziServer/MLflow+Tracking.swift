import KouziBase
import Hummingbird
import KouziNN
import KouziPlatform

extension MLflowRoutes {
    /// Experiments, runs, metrics, parameters and tags.
    static func tracking(_ platform: Platform) -> [(HTTPRequest.Method, String, Handler)] {
        let tracking = platform.tracking
        @Sendable func experimentID(_ call: Call) throws -> Int64 { try call.id("experiment_id") }
        return [
            (.post, "experiments/create", { call in
                if let location = try call.optionalString("artifact_location"), !location.isEmpty {
                    throw PlatformError.invalid("artifact_location", "Kouzi stores run artifacts itself; leave artifact_location empty")
                }
                let experiment = try await tracking.createExperiment(call.principal, projectID: call.projectID,
                                                                     name: try call.string("name"), tags: try call.keyValues("tags"))
                return .object(["experiment_id": .string(String(experiment.id))])
            }),
            (.get, "experiments/get", { call in
                .object(["experiment": MLflowJSON.experiment(
                    try await tracking.experiment(call.principal, projectID: call.projectID, id: try experimentID(call)))])
            }),
            (.get, "experiments/get-by-name", { call in
                .object(["experiment": MLflowJSON.experiment(
                    try await tracking.experiment(call.principal, projectID: call.projectID, named: try call.string("experiment_name")))])
            }),
            (.post, "experiments/search", { call in
                let filter = try AttributeFilter(try call.optionalString("filter") ?? "", attributes: ["name"])
                let (limit, offset) = try page(call, defaultLimit: 1000)
                let all = try await tracking.experiments(call.principal, projectID: call.projectID, lifecycle: try viewType(call, "view_type"))
                return paged(all.filter { filter.matches(["name": $0.name]) }.map(MLflowJSON.experiment), key: "experiments", limit: limit, offset: offset)
            }),
            (.post, "experiments/update", { call in
                _ = try await tracking.renameExperiment(call.principal, projectID: call.projectID, id: try experimentID(call),
                                                        name: try call.string("new_name"))
                return .object([:])
            }),
            (.post, "experiments/delete", { call in
                try await tracking.setExperimentDeleted(call.principal, projectID: call.projectID, id: try experimentID(call), deleted: true)
                return .object([:])
            }),
            (.post, "experiments/restore", { call in
                try await tracking.setExperimentDeleted(call.principal, projectID: call.projectID, id: try experimentID(call), deleted: false)
                return .object([:])
            }),
            (.post, "experiments/set-experiment-tag", { call in
                try await tracking.setExperimentTag(call.principal, projectID: call.projectID, id: try experimentID(call),
                                                    key: try call.string("key"), value: try call.optionalString("value") ?? "")
                return .object([:])
            }),
            (.post, "experiments/delete-experiment-tag", { call in
                try await tracking.setExperimentTag(call.principal, projectID: call.projectID, id: try experimentID(call),
                                                    key: try call.string("key"), value: nil)
                return .object([:])
            }),
            (.post, "runs/create", { call in
                let run = try await tracking.startRun(call.principal, projectID: call.projectID, experimentID: try experimentID(call),
                                                      name: try call.optionalString("run_name"), startTime: try call.int64("start_time"),
                                                      tags: try call.keyValues("tags"))
                return .object(["run": MLflowJSON.run(run)])
            }),
            (.get, "runs/get", { call in
                .object(["run": MLflowJSON.run(try await tracking.run(call.principal, projectID: call.projectID, runID: try runID(call)))])
            }),
            (.post, "runs/update", { call in
                let run = try await tracking.updateRun(call.principal, projectID: call.projectID, runID: try runID(call),
                                                       status: try call.optionalString("status"), endTime: try call.int64("end_time"),
                                                       name: try call.optionalString("run_name"))
                return .object(["run_info": MLflowJSON.runInfo(run)])
            }),
            (.post, "runs/delete", { call in
                try await tracking.setRunDeleted(call.principal, projectID: call.projectID, runID: try runID(call), deleted: true)
                return .object([:])
            }),
            (.post, "runs/restore", { call in
                try await tracking.setRunDeleted(call.principal, projectID: call.projectID, runID: try runID(call), deleted: false)
                return .object([:])
            }),
            (.post, "runs/search", { call in
                let ids = try call.strings("experiment_ids").map { text in
                    guard let id = Int64(text) else { throw PlatformError.invalid("experiment_ids", "'\(text)' is not an experiment id") }
                    return id
                }
                let filter = try RunFilter(try call.optionalString("filter") ?? "")
                let (limit, offset) = try page(call, defaultLimit: 1000)
                // One run more than the page shows whether another page follows.
                let runs = try await tracking.runs(call.principal, projectID: call.projectID, experimentIDs: ids,
                                                   lifecycle: try viewType(call, "run_view_type"), filter: filter,
                                                   limit: limit + 1, offset: offset)
                var result: [String: JSONValue] = ["runs": .array(runs.prefix(limit).map(MLflowJSON.run))]
                if runs.count > limit { result["next_page_token"] = .string(String(offset + limit)) }
                return .object(result)
            }),
            (.post, "runs/log-metric", { call in
                try await tracking.log(call.principal, projectID: call.projectID, runID: try runID(call), metrics: [try metric(call)])
                return .object([:])
            }),
            (.post, "runs/log-parameter", { call in
                try await tracking.log(call.principal, projectID: call.projectID, runID: try runID(call),
                                       params: [try call.string("key"): try call.optionalString("value") ?? ""])
                return .object([:])
            }),
            (.post, "runs/set-tag", { call in
                try await tracking.log(call.principal, projectID: call.projectID, runID: try runID(call),
                                       tags: [try call.string("key"): try call.optionalString("value") ?? ""])
                return .object([:])
            }),
            (.post, "runs/delete-tag", { call in
                try await tracking.deleteTag(call.principal, projectID: call.projectID, runID: try runID(call), key: try call.string("key"))
                return .object([:])
            }),
            (.post, "runs/log-batch", { call in
                let params = try call.objects("params")
                var paramValues: [String: String] = [:]
                for param in params {
                    let key = try param.string("key"), value = try param.optionalString("value") ?? ""
                    if let earlier = paramValues[key], earlier != value {
                        throw PlatformError.invalid("params", "the batch logs '\(key)' twice with different values")
                    }
                    paramValues[key] = value
                }
                try await tracking.log(call.principal, projectID: call.projectID, runID: try runID(call),
                                       metrics: try call.objects("metrics").map(metric), params: paramValues,
                                       tags: try call.keyValues("tags"))
                return .object([:])
            }),
            // MLflow 3's logged models are not supported; clients search them when they list a run's artifacts
            // under a path, so the search answers that there are none.
            (.post, "logged-models/search", { _ in .object(["models": .array([])]) }),
            (.get, "metrics/get-history", { call in
                let history = try await tracking.metricHistory(call.principal, projectID: call.projectID, runID: try runID(call),
                                                               key: try call.string("metric_key"))
                let (limit, offset) = try page(call, defaultLimit: 25_000)
                return paged(history.map(MLflowJSON.metric), key: "metrics", limit: limit, offset: offset)
            }),
        ]
    }

    /// `run_id`, or the older `run_uuid`.
    static func runID(_ call: Call) throws -> String {
        if let id = try call.optionalString("run_id") ?? call.optionalString("run_uuid") { return id }
        throw PlatformError.invalid("run_id", "missing value for required parameter 'run_id'")
    }

    /// A metric point of a request: key, value, timestamp (default now), step (default 0).
    static func metric(_ call: Call) throws -> MetricPoint {
        MetricPoint(key: try call.string("key"), value: try call.double("value"),
                    timestamp: try call.int64("timestamp") ?? Clock.nowMillis(), step: try call.int64("step") ?? 0)
    }

    /// MLflow's ViewType: ACTIVE_ONLY (default), DELETED_ONLY or ALL.
    static func viewType(_ call: Call, _ name: String) throws -> LifecycleFilter {
        switch try call.optionalString(name) {
        case nil, "ACTIVE_ONLY"?, "1"?: return .active
        case "DELETED_ONLY"?, "2"?: return .deleted
        case "ALL"?, "3"?: return .all
        case let other?: throw PlatformError.invalid(name, "'\(other)' must be ACTIVE_ONLY, DELETED_ONLY or ALL")
        }
    }

    /// `max_results` and `page_token` (Kouzi's page tokens are offsets).
    static func page(_ call: Call, defaultLimit: Int) throws -> (Int, Int) {
        let limit = try call.int64("max_results").map(Int.init) ?? defaultLimit
        guard limit > 0, limit <= 50_000 else { throw PlatformError.invalid("max_results", "must be 1–50000") }
        guard let token = try call.optionalString("page_token"), !token.isEmpty else { return (limit, 0) }
        guard let offset = Int(token), offset >= 0 else { throw PlatformError.invalid("page_token", "'\(token)' is not a page token of this server") }
        return (limit, offset)
    }

    /// One page of a list, with `next_page_token` when more follow.
    static func paged(_ items: [JSONValue], key: String, limit: Int, offset: Int) -> JSONValue {
        var result: [String: JSONValue] = [key: .array(Array(items.dropFirst(offset).prefix(limit)))]
        if offset + limit < items.count { result["next_page_token"] = .string(String(offset + limit)) }
        return .object(result)
    }
}
