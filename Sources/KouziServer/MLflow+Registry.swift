import KouziBase
import Hummingbird
import KouziNN
import KouziPlatform

extension MLflowRoutes {
    /// Registered models and model versions, mapped onto Kouzi's models and model versions.
    static func registry(_ platform: Platform) -> [(HTTPRequest.Method, String, Handler)] {
        let registry = platform.models
        @Sendable func model(_ call: Call) async throws -> RegisteredModel {
            try await registry.model(call.principal, projectID: call.projectID, named: try call.string("name"))
        }
        @Sendable func modelJSON(_ call: Call, _ model: RegisteredModel) async throws -> JSONValue {
            let latest = model.latestVersion == 0 ? nil
                : try await registry.version(call.principal, projectID: call.projectID, modelID: model.id, reference: String(model.latestVersion))
            return MLflowJSON.registeredModel(model, latest: latest)
        }
        @Sendable func number(_ call: Call) throws -> Int64 {
            guard let number = try call.int64("version"), number > 0 else {
                throw PlatformError.invalid("version", "must be a positive version number")
            }
            return number
        }
        return [
            (.post, "registered-models/create", { call in
                let created = try await registry.create(call.principal, projectID: call.projectID, name: try call.string("name"),
                                                        description: try call.optionalString("description") ?? "")
                return .object(["registered_model": try await modelJSON(call, created)])
            }),
            (.get, "registered-models/get", { call in
                .object(["registered_model": try await modelJSON(call, try await model(call))])
            }),
            (.get, "registered-models/search", { call in
                let filter = try AttributeFilter(try call.optionalString("filter") ?? "", attributes: ["name"])
                let (limit, offset) = try page(call, defaultLimit: 100)
                var items: [JSONValue] = []
                for model in try await registry.list(call.principal, projectID: call.projectID, limit: 100_000)
                where filter.matches(["name": model.name]) {
                    items.append(try await modelJSON(call, model))
                }
                return paged(items, key: "registered_models", limit: limit, offset: offset)
            }),
            (.patch, "registered-models/update", { call in
                let current = try await model(call)
                let updated = try await registry.describe(call.principal, projectID: call.projectID, modelID: current.id,
                                                          description: try call.optionalString("description") ?? "")
                return .object(["registered_model": try await modelJSON(call, updated)])
            }),
            (.delete, "registered-models/delete", { call in
                try await registry.delete(call.principal, projectID: call.projectID, modelID: try await model(call).id)
                return .object([:])
            }),
            (.post, "model-versions/create", { call in
                let target = try await model(call)
                let runID = try call.optionalString("run_id").flatMap { $0.isEmpty ? nil : $0 }
                if let runID { _ = try await platform.tracking.run(call.principal, projectID: call.projectID, runID: runID) }
                let version = try await registry.registerSource(call.principal, projectID: call.projectID, modelID: target.id,
                                                                source: try call.string("source"), runID: runID,
                                                                description: try call.optionalString("description") ?? "",
                                                                tags: try call.keyValues("tags"))
                return .object(["model_version": MLflowJSON.modelVersion(version, name: target.name)])
            }),
            (.get, "model-versions/get", { call in
                let target = try await model(call)
                let version = try await registry.version(call.principal, projectID: call.projectID, modelID: target.id,
                                                         reference: String(try number(call)))
                return .object(["model_version": MLflowJSON.modelVersion(version, name: target.name)])
            }),
            (.get, "model-versions/search", { call in
                let filter = try AttributeFilter(try call.optionalString("filter") ?? "", attributes: ["name", "run_id", "source"])
                let (limit, offset) = try page(call, defaultLimit: 10_000)
                var items: [JSONValue] = []
                for model in try await registry.list(call.principal, projectID: call.projectID, limit: 100_000) {
                    for version in try await registry.versions(call.principal, projectID: call.projectID, modelID: model.id).reversed() {
                        var values = ["name": model.name]
                        values["run_id"] = version.lineage.runID
                        values["source"] = version.source
                        if filter.matches(values) { items.append(MLflowJSON.modelVersion(version, name: model.name)) }
                    }
                }
                return paged(items, key: "model_versions", limit: limit, offset: offset)
            }),
            (.patch, "model-versions/update", { call in
                let target = try await model(call)
                let version = try await registry.update(call.principal, projectID: call.projectID, modelID: target.id,
                                                        number: try number(call),
                                                        update: ModelVersionUpdate(description: try call.optionalString("description")))
                return .object(["model_version": MLflowJSON.modelVersion(version, name: target.name)])
            }),
            (.post, "registered-models/alias", { call in
                _ = try await registry.setAlias(call.principal, projectID: call.projectID, modelID: try await model(call).id,
                                                alias: try call.string("alias"), number: try number(call))
                return .object([:])
            }),
            (.delete, "registered-models/alias", { call in
                try await registry.deleteAlias(call.principal, projectID: call.projectID, modelID: try await model(call).id,
                                               alias: try call.string("alias"))
                return .object([:])
            }),
            (.get, "registered-models/alias", { call in
                let target = try await model(call)
                let alias = try call.string("alias")
                guard Int64(alias) == nil else { throw PlatformError.invalid("alias", "'\(alias)' is a number, not an alias") }
                let version = try await registry.version(call.principal, projectID: call.projectID, modelID: target.id, reference: alias)
                return .object(["model_version": MLflowJSON.modelVersion(version, name: target.name)])
            }),
        ]
    }
}
