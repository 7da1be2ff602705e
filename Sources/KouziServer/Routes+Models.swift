import Foundation
import Hummingbird
import KouziPlatform

extension APIRoutes {
    /// The model registry: models, versions (package uploads), metadata, aliases, downloads.
    static func models(_ platform: Platform) -> [Endpoint] {
        let registry = platform.models
        let limit = platform.configuration.maxUploadBytes
        struct NewModel: Codable { var name: String; var description: String? }
        struct AliasTarget: Codable { var version: Int64 }
        let base = "/api/v1/projects/{project}/models"
        let version = base + "/{model}/versions/{version}"
        return [
            Endpoint(method: .get, path: base, operationID: "listModels", summary: "Models of a project", tag: "models",
                     query: pageQuery, responses: [(200, "Models", .json(.array(.ref("Model"))))]) { request, context in
                let (limit, offset) = try page(request)
                return try JSON.response(try await registry.list(try context.caller, projectID: try context.id("project"),
                                                                 limit: limit, offset: offset))
            },
            Endpoint(method: .post, path: base, operationID: "createModel", summary: "Create a model", tag: "models",
                     request: .json(.ref("NewModel")), responses: [(201, "The model", .json(.ref("Model")))]) { request, context in
                let body = try await JSON.decode(NewModel.self, from: request, context: context)
                return try JSON.response(try await registry.create(try context.caller, projectID: try context.id("project"),
                                                                   name: body.name, description: body.description ?? ""),
                                         status: .created)
            },
            Endpoint(method: .get, path: base + "/{model}", operationID: "getModel", summary: "One model with its aliases",
                     tag: "models", responses: [(200, "The model", .json(.ref("Model")))]) { _, context in
                try JSON.response(try await registry.get(try context.caller, projectID: try context.id("project"),
                                                         modelID: try context.id("model")))
            },
            Endpoint(method: .get, path: base + "/{model}/versions", operationID: "listModelVersions",
                     summary: "Versions of a model", tag: "models",
                     responses: [(200, "Versions", .json(.array(.ref("ModelVersion"))))]) { _, context in
                try JSON.response(try await registry.versions(try context.caller, projectID: try context.id("project"),
                                                              modelID: try context.id("model")))
            },
            Endpoint(method: .post, path: base + "/{model}/versions", operationID: "registerModelVersion",
                     summary: "Register a .kouzi package (a ZIP of the model directory, streamed) or an ONNX file as the next version",
                     tag: "models",
                     query: [QueryDoc(name: "format", schema: .enumeration(["kouzi", "onnx"]),
                                      description: "What the body is: a .kouzi package (default) or an ONNX model"),
                             QueryDoc(name: "description", schema: .string, description: "What this version is"),
                             QueryDoc(name: "metrics", schema: .string, description: "JSON object of metric name → number"),
                             QueryDoc(name: "tags", schema: .string, description: "JSON object of tag → text"),
                             QueryDoc(name: "datasetId", schema: .id, description: "Lineage: the training dataset"),
                             QueryDoc(name: "datasetVersion", schema: .id, description: "Lineage: its version"),
                             QueryDoc(name: "runId", schema: .string, description: "Lineage: the training run")],
                     request: .choices([.binary("application/zip"), .binary("application/octet-stream")]),
                     responses: [(201, "The version", .json(.ref("ModelVersion")))]) { request, context in
                let project = try context.id("project")
                let model = try context.id("model")
                let update = ModelVersionUpdate(description: request.query("description"),
                                                metrics: try jsonQuery(request, "metrics"), tags: try jsonQuery(request, "tags"))
                let datasetID = try request.queryInt("datasetId", in: SchemaDoc.ids).map(Int64.init)
                let datasetVersion = try request.queryInt("datasetVersion", in: SchemaDoc.ids).map(Int64.init)
                if (datasetID == nil) != (datasetVersion == nil) {
                    throw PlatformError.invalid("datasetVersion", "give datasetId and datasetVersion together")
                }
                let lineage = ModelLineage(datasetID: datasetID, datasetVersion: datasetVersion, runID: request.query("runId"))
                let onnx = try uploadFormat(request) == "onnx"
                let principal = try context.caller
                let upload = try await registry.beginUpload(principal, projectID: project, modelID: model)
                try await receive(request, into: upload, limit: limit)
                let version = onnx
                    ? try await registry.registerONNX(principal, projectID: project, modelID: model, upload: upload, update: update,
                                                      lineage: lineage)
                    : try await registry.register(principal, projectID: project, modelID: model, upload: upload, update: update,
                                                  lineage: lineage)
                return try JSON.response(version, status: .created)
            },
            Endpoint(method: .get, path: version, operationID: "getModelVersion",
                     summary: "One version, by number or alias", tag: "models",
                     responses: [(200, "The version", .json(.ref("ModelVersion")))]) { _, context in
                try JSON.response(try await registry.version(try context.caller, projectID: try context.id("project"),
                                                             modelID: try context.id("model"), reference: try context.text("version")))
            },
            Endpoint(method: .patch, path: version, operationID: "updateModelVersion",
                     summary: "Change description; merge metrics and tags", tag: "models",
                     request: .json(.ref("ModelVersionUpdate")),
                     responses: [(200, "The version", .json(.ref("ModelVersion")))]) { request, context in
                let body = try await JSON.decode(ModelVersionUpdate.self, from: request, context: context)
                return try JSON.response(try await registry.update(try context.caller, projectID: try context.id("project"),
                                                                   modelID: try context.id("model"), number: try context.id("version"),
                                                                   update: body))
            },
            Endpoint(method: .delete, path: version, operationID: "deleteModelVersion",
                     summary: "Delete a version that no deployment serves and no alias points at", tag: "models",
                     responses: [(204, "Deleted", nil)]) { _, context in
                try await registry.deleteVersion(try context.caller, projectID: try context.id("project"),
                                                 modelID: try context.id("model"), number: try context.id("version"))
                return Response(status: .noContent)
            },
            Endpoint(method: .get, path: version + "/download", operationID: "downloadModelVersion",
                     summary: "Download a version's package (ZIP), or the version as an ONNX model, by number or alias", tag: "models",
                     query: [QueryDoc(name: "format", schema: .enumeration(["kouzi", "onnx"]),
                                      description: "The .kouzi package (default) or an ONNX model"),],
                     responses: [(200, "The package or ONNX model", .choices([.binary("application/zip"), .binary("application/octet-stream")])),
                                 (422, "The version has no ONNX form (a recommender, a layer ONNX lacks)", .json(.ref("Error")))]) { request, context in
                let model = try context.id("model")
                if try uploadFormat(request) == "onnx" {
                    let (version, data) = try await registry.exportONNX(try context.caller, projectID: try context.id("project"),
                                                                        modelID: model, reference: try context.text("version"))
                    return download(MemoryChunks(data), filename: "model-\(model)-v\(version.number).onnx",
                                    contentType: "application/octet-stream")
                }
                let (version, reader) = try await registry.openPackage(try context.caller, projectID: try context.id("project"),
                                                                       modelID: model, reference: try context.text("version"))
                return download(reader, sha256: version.packageSHA256, filename: "model-\(model)-v\(version.number).kouzi.zip",
                                contentType: "application/zip")
            },
            Endpoint(method: .put, path: base + "/{model}/aliases/{alias}", operationID: "setModelAlias",
                     summary: "Point an alias (e.g. production) at a version", tag: "models",
                     request: .json(.ref("AliasTarget")), responses: [(200, "The model", .json(.ref("Model")))]) { request, context in
                let body = try await JSON.decode(AliasTarget.self, from: request, context: context)
                return try JSON.response(try await registry.setAlias(try context.caller, projectID: try context.id("project"),
                                                                     modelID: try context.id("model"), alias: try context.text("alias"),
                                                                     number: body.version))
            },
            Endpoint(method: .delete, path: base + "/{model}/aliases/{alias}", operationID: "deleteModelAlias",
                     summary: "Remove an alias", tag: "models", responses: [(204, "Removed", nil)]) { _, context in
                try await registry.deleteAlias(try context.caller, projectID: try context.id("project"),
                                               modelID: try context.id("model"), alias: try context.text("alias"))
                return Response(status: .noContent)
            },
        ]
    }

    /// The `format` query of uploads and downloads: `kouzi` (the default) or `onnx`.
    static func uploadFormat(_ request: Request) throws -> String {
        let format = request.query("format") ?? "kouzi"
        guard format == "kouzi" || format == "onnx" else {
            throw PlatformError.invalid("format", "must be kouzi or onnx, got '\(format.prefix(40))'")
        }
        return format
    }

    static func jsonQuery<T: Decodable>(_ request: Request, _ name: String) throws -> T? {
        guard let text = request.query(name) else { return nil }
        do { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) } catch {
            throw PlatformError.invalid(name, "is not a JSON object of the expected kind: \(text.prefix(100))")
        }
    }
}
