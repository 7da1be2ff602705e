import KouziBase
import KouziNN
import KouziPlatform

/// Kouzi's tracking and registry values in MLflow's JSON shapes (snake_case, ids as strings, key/value lists).
enum MLflowJSON {
    static func object(_ fields: [String: JSONValue?]) -> JSONValue { .object(fields.compactMapValues { $0 }) }
    static func int(_ value: Int64) -> JSONValue { .number(Double(value)) }
    static func keyValues(_ values: [String: String]) -> JSONValue {
        .array(values.sorted { $0.key < $1.key }.map { .object(["key": .string($0.key), "value": .string($0.value)]) })
    }

    static func experiment(_ experiment: Experiment) -> JSONValue {
        object([
            "experiment_id": .string(String(experiment.id)), "name": .string(experiment.name),
            "artifact_location": .string(experiment.artifactLocation), "lifecycle_stage": .string(experiment.lifecycleStage),
            "creation_time": int(experiment.createdAt), "last_update_time": int(experiment.updatedAt),
            "tags": keyValues(experiment.tags),
        ])
    }

    static func runInfo(_ run: Run) -> JSONValue {
        object([
            "run_id": .string(run.id), "run_uuid": .string(run.id), "run_name": .string(run.name),
            "experiment_id": .string(String(run.experimentID)), "user_id": .string(String(run.userID)),
            "status": .string(run.status), "start_time": int(run.startTime), "end_time": run.endTime.map(int),
            "artifact_uri": .string(run.artifactURI), "lifecycle_stage": .string(run.lifecycleStage),
        ])
    }

    static func run(_ run: Run) -> JSONValue {
        .object([
            "info": runInfo(run),
            "data": .object(["metrics": .array(run.latestMetrics.map(metric)), "params": keyValues(run.params),
                             "tags": keyValues(run.tags)]),
            "inputs": .object([:]),
        ])
    }

    static func metric(_ point: MetricPoint) -> JSONValue {
        .object(["key": .string(point.key), "value": .number(point.value), "timestamp": int(point.timestamp), "step": int(point.step)])
    }

    static func registeredModel(_ model: RegisteredModel, latest: ModelVersion?) -> JSONValue {
        object([
            "name": .string(model.name), "creation_timestamp": int(model.createdAt),
            "last_updated_timestamp": int(latest?.createdAt ?? model.createdAt), "description": .string(model.description),
            "latest_versions": .array(latest.map { [modelVersion($0, name: model.name)] } ?? []),
            "aliases": .array(model.aliases.sorted { $0.key < $1.key }.map {
                .object(["alias": .string($0.key), "version": .string(String($0.value))])
            }),
            "tags": .array([]),
        ])
    }

    static func modelVersion(_ version: ModelVersion, name: String) -> JSONValue {
        object([
            "name": .string(name), "version": .string(String(version.number)),
            "creation_timestamp": int(version.createdAt), "last_updated_timestamp": int(version.createdAt),
            "description": .string(version.description), "user_id": .string(String(version.createdBy)),
            "source": .string(version.source ?? "kouzi-package:sha256:\(version.packageSHA256)"),
            "run_id": version.lineage.runID.map(JSONValue.string), "status": .string("READY"), "current_stage": .string("None"),
            "tags": keyValues(version.tags), "aliases": .array(version.aliases.map(JSONValue.string)),
        ])
    }
}
