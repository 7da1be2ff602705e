import Foundation
import HTTPTypes
import Hummingbird
import KouziBase
import KouziInference
import KouziMonitoring
import KouziNN
import KouziPlatform
import KouziTasks

extension APIRoutes {
    /// Deployments (Kouzi API) and online inference on the Open Inference Protocol (KServe V2 REST).
    static func serving(_ platform: Platform) -> [Endpoint] {
        let deployments = platform.deployments
        struct NewDeployment: Codable { var name: String; var model: Int64; var version: String }
        struct Move: Codable { var version: String }
        struct Live: Codable { var live: Bool }
        struct Ready: Codable { var ready: Bool }
        struct ModelReady: Codable { var name: String; var ready: Bool }
        struct ServerMetadata: Codable { var name: String; var version: String; var extensions: [String] }
        struct ModelMetadata: Codable {
            var name: String; var versions: [String]; var platform: String
            var inputs: [InferTensorMetadata]; var outputs: [InferTensorMetadata]
        }
        let base = "/api/v1/projects/{project}/deployments"
        let model = "/v2/models/{name}"
        let versioned = model + "/versions/{version}"

        /// The `{version}` of a versioned path, or nil; a version that is not a number names none (404).
        @Sendable func requestedVersion(_ context: KouziContext) throws -> Int64? {
            try context.parameters.get("version").map { text -> Int64 in
                guard let number = Int64(text) else { throw PlatformError.notFound("version", text) }
                return number
            }
        }
        @Sendable func served(_ request: Request, _ context: KouziContext) async throws -> (Deployment, any ServedVersion) {
            let name = try context.text("name")
            let deployment = try await deployments.resolve(try context.caller, name: name)
            return (deployment, try await deployments.model(for: deployment, version: try requestedVersion(context)))
        }
        @Sendable func metadata(_ request: Request, _ context: KouziContext) async throws -> Response {
            let (deployment, served) = try await served(request, context)
            return try JSON.response(ModelMetadata(name: deployment.name, versions: [String(deployment.version)], platform: "kouzi",
                                                   inputs: served.inputs, outputs: served.outputs))
        }
        @Sendable func ready(_ request: Request, _ context: KouziContext) async throws -> Response {
            let deployment = try await deployments.resolve(try context.caller, name: try context.text("name"))
            if let text = context.parameters.get("version"), Int64(text) != deployment.version {
                throw PlatformError.notFound("version", text)
            }
            guard deployments.isReady(deployment) else {
                throw PlatformError(.badRequest, code: "model_not_ready", "model '\(deployment.name)' version \(deployment.version) is loading")
            }
            return try JSON.response(ModelReady(name: deployment.name, ready: true))
        }
        @Sendable func infer(_ request: Request, _ context: KouziContext) async throws -> Response {
            let body = try await JSON.inferRequest(from: request, context: context)
            let version = try requestedVersion(context)
            let key = request.headers[routingKey] ?? body.parameters?["routing_key"]?.stringValue
            let (response, variant) = try await deployments.infer(try context.caller, name: try context.text("name"),
                                                                  version: version, body, routingKey: key)
            var answer = try JSON.inferResponse(response, to: body)
            if let variant { answer.headers[variantHeader] = variant }
            return answer
        }
        @Sendable func explain(_ request: Request, _ context: KouziContext) async throws -> Response {
            let body = try await JSON.decode(InferRequest.self, from: request, context: context)
            let key = request.headers[routingKey] ?? body.parameters?["routing_key"]?.stringValue
            return try JSON.response(try await deployments.explain(try context.caller, name: try context.text("name"),
                                                                   version: try requestedVersion(context), body, routingKey: key))
        }
        struct Feedback: Codable {
            struct Item: Codable { var requestId: String; var label: String?; var labels: [String]? }
            var feedback: [Item]
        }
        struct FeedbackResult: Codable { var updated: Int; var unknown: [String] }
        struct Promotion: Codable { var variant: String }
        let explainMethods = ExplainOptions.Method.allCases.map(\.rawValue).joined(separator: ", ")
        let notReady = "400 when it is still loading (as Triton answers)"
        let binaryExtension = "binary tensor data extension: with an Inference-Header-Content-Length header the body is that "
            + "many bytes of JSON followed by the data of the inputs that give binary_data_size; outputs asked with "
            + "binary_data (or all, with binary_data_output) come back the same way, as application/octet-stream"
        /// JSON, or JSON followed by binary tensor data.
        func inferBody(_ schema: SchemaDoc) -> BodyDoc { .choices([.json(schema), .binary("application/octet-stream")]) }
        return [
            Endpoint(method: .post, path: base, operationID: "createDeployment",
                     summary: "Deploy a model version (number, or an alias it then follows) under a name unique across projects",
                     tag: "serving", request: .json(.ref("NewDeployment")),
                     responses: [(201, "The deployment (loading in the background)", .json(.ref("Deployment")))]) { request, context in
                let body = try await JSON.decode(NewDeployment.self, from: request, context: context)
                return try JSON.response(try await deployments.create(try context.caller, projectID: try context.id("project"),
                                                                      name: body.name, modelID: body.model, version: body.version),
                                         status: .created)
            },
            Endpoint(method: .get, path: base, operationID: "listDeployments", summary: "Deployments of a project", tag: "serving",
                     responses: [(200, "Deployments", .json(.array(.ref("Deployment"))))]) { _, context in
                try JSON.response(try await deployments.list(try context.caller, projectID: try context.id("project")))
            },
            Endpoint(method: .get, path: base + "/{deployment}", operationID: "getDeployment",
                     summary: "One deployment with its load state in this process", tag: "serving",
                     responses: [(200, "The deployment", .json(.ref("Deployment")))]) { _, context in
                try JSON.response(try await deployments.get(try context.caller, projectID: try context.id("project"),
                                                            name: try context.text("deployment")))
            },
            Endpoint(method: .put, path: base + "/{deployment}", operationID: "moveDeployment",
                     summary: "Serve another version or alias; the current one answers until the new one is ready", tag: "serving",
                     request: .json(.object([("version", .string)])),
                     responses: [(200, "The deployment", .json(.ref("Deployment")))]) { request, context in
                let body = try await JSON.decode(Move.self, from: request, context: context)
                return try JSON.response(try await deployments.update(try context.caller, projectID: try context.id("project"),
                                                                      name: try context.text("deployment"), version: body.version))
            },
            Endpoint(method: .delete, path: base + "/{deployment}", operationID: "deleteDeployment", summary: "Undeploy",
                     tag: "serving", responses: [(204, "Undeployed", nil)]) { _, context in
                try await deployments.delete(try context.caller, projectID: try context.id("project"), name: try context.text("deployment"))
                return Response(status: .noContent)
            },
            Endpoint(method: .get, path: "/metrics", operationID: "metrics",
                     summary: "Prometheus metrics: inference requests by model, version and outcome; latency histograms "
                        + "(request, queue, compute); rows per batch; models loaded; queue depths; process memory and CPU",
                     tag: "inference", authenticated: !platform.configuration.publicMetrics,
                     responses: [(200, "Text exposition format 0.0.4", .binary("text/plain; version=0.0.4"))]) { _, context in
                // The metrics name every project's deployments: server administrators only (a viewer token is
                // enough for a scraper), unless the server was started with --public-metrics.
                if !platform.configuration.publicMetrics, !(try context.caller).isServerAdmin {
                    throw PlatformError(.forbidden, code: "forbidden", "/metrics needs a server administrator's token")
                }
                return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                         body: ResponseBody(byteBuffer: ByteBuffer(string: deployments.metricsText())))
            },
            Endpoint(method: .put, path: base + "/{deployment}/split", operationID: "setDeploymentSplit",
                     summary: "Split traffic between versions by weight (A/B), with shadows that get a copy; [] ends the split",
                     tag: "serving", request: .json(.ref("SplitRequest")),
                     responses: [(200, "The deployment", .json(.ref("Deployment")))]) { request, context in
                let body = try await JSON.decode(SplitRequest.self, from: request, context: context)
                return try JSON.response(try await deployments.setSplit(try context.caller, projectID: try context.id("project"),
                                                                        name: try context.text("deployment"), body))
            },
            Endpoint(method: .get, path: base + "/{deployment}/split", operationID: "getDeploymentSplit",
                     summary: "Per-variant requests, live accuracy from feedback with its 95 % interval, p-value against the control",
                     tag: "serving", responses: [(200, "Variants", .json(.array(.ref("VariantStats"))))]) { _, context in
                try JSON.response(try await deployments.splitStats(try context.caller, projectID: try context.id("project"),
                                                                   name: try context.text("deployment")))
            },
            Endpoint(method: .post, path: base + "/{deployment}/feedback", operationID: "postDeploymentFeedback",
                     summary: "True labels for earlier answers, by the request id the answer carried", tag: "serving",
                     request: .json(.ref("Feedback")),
                     responses: [(200, "How many matched", .json(.ref("FeedbackResult")))]) { request, context in
                let body = try await JSON.decode(Feedback.self, from: request, context: context)
                let items = try body.feedback.map { item -> (requestID: String, labels: [String]) in
                    guard let labels = item.labels ?? item.label.map({ [$0] }) else {
                        throw PlatformError.invalid("feedback", "\(item.requestId): give label or labels")
                    }
                    return (item.requestId, labels)
                }
                let (updated, unknown) = try await deployments.feedback(try context.caller, projectID: try context.id("project"),
                                                                        name: try context.text("deployment"), items)
                return try JSON.response(FeedbackResult(updated: updated, unknown: unknown))
            },
            Endpoint(method: .post, path: base + "/{deployment}/promote", operationID: "promoteDeploymentVariant",
                     summary: "Make a variant the deployment's only version and end the split", tag: "serving",
                     request: .json(.ref("Promotion")),
                     responses: [(200, "The deployment", .json(.ref("Deployment")))]) { request, context in
                let body = try await JSON.decode(Promotion.self, from: request, context: context)
                return try JSON.response(try await deployments.promote(try context.caller, projectID: try context.id("project"),
                                                                       name: try context.text("deployment"), variant: body.variant))
            },
            Endpoint(method: .post, path: "/v1/models/{target}", operationID: "tfServingPredict",
                     summary: "TensorFlow Serving's REST predict: POST /v1/models/NAME:predict with \"instances\" (rows) or "
                        + "\"inputs\" (columns); answers {\"predictions\": [...]}", tag: "inference",
                     request: .json(.object([("instances", .array(.any)), ("inputs", .any)], optional: ["instances", "inputs"])),
                     responses: [(200, "Predictions", .json(.object([("predictions", .array(.any))])))]) { request, context in
                let target = try context.text("target")
                guard target.hasSuffix(":predict"), target.count > ":predict".count else {
                    throw PlatformError(.notFound, code: "verb_not_supported", "only :predict is served: POST /v1/models/NAME:predict")
                }
                let body = try await JSON.decode(JSONValue.self, from: request, context: context)
                return try JSON.response(try await deployments.predict(try context.caller, name: String(target.dropLast(":predict".count)),
                                                                       body: body))
            },
            Endpoint(method: .get, path: "/v2/health/live", operationID: "v2Live", summary: "Open Inference Protocol: liveness",
                     tag: "inference", authenticated: false, responses: [(200, "Live", .json(.ref("V2Live")))]) { _, _ in
                try JSON.response(Live(live: true))
            },
            Endpoint(method: .get, path: "/v2/health/ready", operationID: "v2Ready",
                     summary: "Open Inference Protocol: readiness (the database answers)", tag: "inference", authenticated: false,
                     responses: [(200, "Ready", .json(.ref("V2Ready")))]) { _, _ in
                guard await platform.isReady() else {
                    throw PlatformError(.unavailable, code: "not_ready", "the database or the data directory is unavailable")
                }
                return try JSON.response(Ready(ready: true))
            },
            Endpoint(method: .get, path: "/v2", operationID: "v2ServerMetadata", summary: "Open Inference Protocol: server metadata",
                     tag: "inference", authenticated: false,
                     responses: [(200, "Server metadata", .json(.ref("V2ServerMetadata")))]) { _, _ in
                try JSON.response(ServerMetadata(name: "kouzi", version: KouziServer.version, extensions: ["binary_tensor_data"]))
            },
            Endpoint(method: .get, path: model, operationID: "v2ModelMetadata",
                     summary: "Open Inference Protocol: a deployment's inputs and outputs", tag: "inference",
                     responses: [(200, "Model metadata", .json(.ref("V2ModelMetadata")))], handler: metadata),
            Endpoint(method: .get, path: versioned, operationID: "v2ModelVersionMetadata",
                     summary: "Open Inference Protocol: metadata of the served version", tag: "inference",
                     responses: [(200, "Model metadata", .json(.ref("V2ModelMetadata")))], handler: metadata),
            Endpoint(method: .get, path: model + "/ready", operationID: "v2ModelReady",
                     summary: "Open Inference Protocol: whether the deployment answers with its version; " + notReady,
                     tag: "inference", responses: [(200, "Ready", .json(.ref("V2ModelReady")))], handler: ready),
            Endpoint(method: .get, path: versioned + "/ready", operationID: "v2ModelVersionReady",
                     summary: "Open Inference Protocol: whether this version answers; " + notReady,
                     tag: "inference", responses: [(200, "Ready", .json(.ref("V2ModelReady")))], handler: ready),
            Endpoint(method: .post, path: model + "/infer", operationID: "v2Infer",
                     summary: "Open Inference Protocol: inference (FP32, FP64, INT8…INT64, UINT8…UINT64, BOOL, BYTES; flat or nested data; "
                        + binaryExtension + ")",
                     tag: "inference", request: inferBody(.ref("V2InferRequest")),
                     responses: [(200, "Outputs", inferBody(.ref("V2InferResponse")))], handler: infer),
            Endpoint(method: .post, path: versioned + "/infer", operationID: "v2InferVersion",
                     summary: "Open Inference Protocol: inference on a given version (404 unless it is the served one)",
                     tag: "inference", request: inferBody(.ref("V2InferRequest")),
                     responses: [(200, "Outputs", inferBody(.ref("V2InferResponse")))], handler: infer),
            Endpoint(method: .post, path: model + "/explain", operationID: "v2Explain",
                     summary: "Explain the answers to an inference request's rows (at most 16): attributions to a table's columns, "
                        + "a sentence's tokens or an image's pixels; parameters: method (" + explainMethods + "), target (a class label; "
                        + "default: each row's predicted class), samples (Kernel SHAP's coalition budget), steps (integrated gradients)",
                     tag: "inference", request: .json(.ref("V2ExplainRequest")),
                     responses: [(200, "One explanation per row", .json(.ref("V2ExplainResponse")))], handler: explain),
            Endpoint(method: .post, path: versioned + "/explain", operationID: "v2ExplainVersion",
                     summary: "Explain the answers of a given version (404 unless it is the served one or an A/B variant's)",
                     tag: "inference", request: .json(.ref("V2ExplainRequest")),
                     responses: [(200, "One explanation per row", .json(.ref("V2ExplainResponse")))], handler: explain),
        ]
    }
}

/// The request header whose value routes a request to the same A/B variant every time.
let routingKey = HTTPField.Name("X-Kouzi-Routing-Key")!
/// The response header naming the A/B variant that answered.
let variantHeader = HTTPField.Name("X-Kouzi-Variant")!
/// The size of the JSON part of a body that binary tensor data follows (request and response).
let inferenceHeaderLength = HTTPField.Name("Inference-Header-Content-Length")!

extension Schemas {
    static let tensorMetadata: SchemaDoc = .object([("name", .string), ("datatype", .string), ("shape", .array(.integer))])
    static let inferTensor: SchemaDoc = .object([("name", .string), ("shape", .array(.integer)), ("datatype", .string),
                                                  ("parameters", .map(.any)), ("data", .array(.any))], optional: ["parameters"])

    /// Deployments and the Open Inference Protocol.
    static let serving: [(String, SchemaDoc)] = [
        ("NewDeployment", .object([("name", .name), ("model", .id), ("version", .nonEmpty)])),
        ("Deployment", .object([
            ("id", .integer), ("projectID", .integer), ("name", .string), ("modelID", .integer), ("version", .integer),
            ("alias", .string), ("createdAt", .integer), ("updatedAt", .integer), ("error", .string),
            ("state", .enumeration(["loading", "ready", "failed", "idle", "unloaded"])), ("servingVersion", .integer),
            ("variants", .array(.ref("Variant"))), ("monitoring", .ref("MonitoringSettings")),
        ], optional: ["alias", "updatedAt", "error", "servingVersion", "variants"])),
        ("Variant", .object([("name", .string), ("version", .integer), ("weight", .number), ("shadow", .boolean)])),
        ("SplitRequest", .object([("variants", .nonEmptyArray(.object([("name", .name), ("version", .nonEmpty), ("weight", .number(atLeast: 0)),
                                                                ("shadow", .boolean)], optional: ["weight", "shadow"])))])),
        ("VariantStats", .object([
            ("name", .string), ("version", .integer), ("weight", .number), ("shadow", .boolean), ("share", .number),
            ("requests", .integer), ("labelled", .integer), ("correct", .integer), ("accuracy", .number),
            ("accuracyLow", .number), ("accuracyHigh", .number), ("pValue", .number),
        ], optional: ["accuracy", "accuracyLow", "accuracyHigh", "pValue"])),
        ("Feedback", .object([("feedback", .array(.object([("requestId", .string), ("label", .string), ("labels", .array(.string))],
                                                          optional: ["label", "labels"]).requiringAny(of: ["label", "labels"])))])),
        ("FeedbackResult", .object([("updated", .integer), ("unknown", .array(.string))])),
        ("Promotion", .object([("variant", .name)])),
        ("V2Live", .object([("live", .boolean)])),
        ("V2Ready", .object([("ready", .boolean)])),
        ("V2ModelReady", .object([("name", .string), ("ready", .boolean)])),
        ("V2ServerMetadata", .object([("name", .string), ("version", .string), ("extensions", .array(.string))])),
        ("V2ModelMetadata", .object([("name", .string), ("versions", .array(.string)), ("platform", .string),
                                     ("inputs", .array(tensorMetadata)), ("outputs", .array(tensorMetadata))])),
        ("V2InferRequest", .object([("id", .string), ("parameters", .map(.any)), ("inputs", .nonEmptyArray(inferTensor)),
                                    ("outputs", .array(.object([("name", .string), ("parameters", .map(.any))], optional: ["parameters"])))],
                                   optional: ["id", "parameters", "outputs"])),
        ("V2InferResponse", .object([("model_name", .string), ("model_version", .string), ("id", .string),
                                     ("parameters", .map(.any)), ("outputs", .array(inferTensor))],
                                    optional: ["model_version", "id", "parameters"])),
        ("V2ExplainRequest", .object([
            ("id", .string),
            ("parameters", .object([("method", .enumeration(ExplainOptions.Method.allCases.map(\.rawValue))), ("target", .string),
                                    ("samples", .integer(ExplainOptions.samples)), ("steps", .integer(ExplainOptions.steps)),
                                    ("routing_key", .string)],
                                   optional: ["method", "target", "samples", "steps", "routing_key"])),
            ("inputs", .nonEmptyArray(inferTensor)),
        ], optional: ["id", "parameters"])),
        ("V2ExplainResponse", .object([("model_name", .string), ("model_version", .string), ("id", .string), ("method", .string),
                                       ("explanations", .array(.ref("RowExplanation")))], optional: ["model_version", "id"])),
        ("RowExplanation", .object([
            ("target", .string), ("prediction", .nullable(.number)), ("base_value", .number),
            ("features", .array(.object([("name", .string), ("value", .any), ("attribution", .nullable(.number))]))),
            ("tokens", .array(.object([("token", .string), ("attribution", .nullable(.number))]))),
            ("heatmap", .object([("shape", .array(.integer)), ("data", .array(.nullable(.number)))])),
            ("exact", .boolean), ("completeness_gap", .number),
        ], optional: ["target", "base_value", "features", "tokens", "heatmap", "exact", "completeness_gap"])),
    ]
}
