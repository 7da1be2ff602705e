import KouziBase

/// Builds the OpenAPI 3.1 description of the endpoints the server routes.
enum OpenAPI {
    static func document(endpoints: [Endpoint], version: String) -> JSONValue {
        var paths: [(String, [(String, JSONValue)])] = []
        for endpoint in endpoints {
            let operation = self.operation(endpoint)
            let method = endpoint.method.rawValue.lowercased()
            if let index = paths.firstIndex(where: { $0.0 == endpoint.path }) {
                paths[index].1.append((method, operation))
            } else {
                paths.append((endpoint.path, [(method, operation)]))
            }
        }
        return .members([
            ("openapi", "3.1.0"),
            ("info", .members([("title", "Kouzi platform API"), ("version", .string(version)),
                              ("description", "Datasets, labelling and the model registry of a Kouzi server. Every request except the health checks and this document needs 'Authorization: Bearer <token>'.")])),
            ("paths", .members(paths.map { ($0.0, .members($0.1)) })),
            ("components", .members([
                ("schemas", .members(Schemas.components.map { ($0.0, $0.1.document) })),
                ("securitySchemes", .members([("bearer", .members([("type", "http"), ("scheme", "bearer")]))])),
            ])),
        ])
    }

    static func operation(_ endpoint: Endpoint) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("operationId", .string(endpoint.operationID)),
            ("summary", .string(endpoint.summary)),
            ("tags", .array([.string(endpoint.tag)])),
        ]
        var parameters: [JSONValue] = endpoint.pathParameters.map { name in
            .members([("name", .string(name)), ("in", "path"), ("required", .bool(true)),
                     ("schema", (isText(name, endpoint.path) ? SchemaDoc.string : .id).document)])
        }
        parameters += endpoint.query.map { query in
            .members([("name", .string(query.name)), ("in", "query"), ("required", .bool(query.required)),
                     ("description", .string(query.description)), ("schema", query.schema.document)])
        }
        if !parameters.isEmpty { fields.append(("parameters", .array(parameters))) }
        if let body = endpoint.request {
            fields.append(("requestBody", .members([("required", .bool(true)), ("content", content(body))])))
        }
        var responses: [(String, JSONValue)] = endpoint.responses.map { status, description, body in
            var response: [(String, JSONValue)] = [("description", .string(description))]
            if let body { response.append(("content", content(body))) }
            return (String(status), .members(response))
        }
        for status in endpoint.errorStatuses {
            responses.append((String(status), .members([
                ("description", .string(errorDescription(status))),
                ("content", content(.json(.ref("Error")))),
            ])))
        }
        fields.append(("responses", .members(responses)))
        if endpoint.authenticated { fields.append(("security", .array([.members([("bearer", .array([]))])]))) }
        return .members(fields)
    }

    /// Path parameters that are names rather than ids (deployments and their targets are named, a model version
    /// may be an alias, run ids are hex text).
    static func isText(_ parameter: String, _ path: String) -> Bool {
        ["alias", "name", "run", "key", "deployment", "target"].contains(parameter)
            || (parameter == "version" && path.contains("/models/"))
    }

    static func content(_ body: BodyDoc) -> JSONValue { .members(mediaTypes(body)) }

    static func mediaTypes(_ body: BodyDoc) -> [(String, JSONValue)] {
        switch body {
        case let .json(schema): return [("application/json", .members([("schema", schema.document)]))]
        case let .binary(mediaType): return [(mediaType, .members([("schema", .members([("type", "string"), ("format", "binary")]))]))]
        case let .choices(bodies): return bodies.flatMap(mediaTypes)
        case let .events(schema): return [("text/event-stream", .members([("schema", schema.document)]))]
        }
    }

    static func errorDescription(_ status: Int) -> String {
        switch status {
        case 400: return "The request is malformed; the body names the field."
        case 401: return "No token, or an unknown or revoked one."
        case 403: return "The token's role does not allow this."
        case 404: return "No such resource in a project the caller belongs to."
        case 409: return "The change conflicts with the current state."
        case 413: return "The body exceeds the upload limit."
        case 415: return "The body's media type is not accepted here."
        default: return "Error."
        }
    }
}
