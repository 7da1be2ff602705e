/// Builds the OpenAPI 3.1 description of the endpoints the server routes.
enum OpenAPI {
    static func document(endpoints: [Endpoint], version: String) -> DocValue {
        var paths: [(String, [(String, DocValue)])] = []
        for endpoint in endpoints {
            let operation = self.operation(endpoint)
            let method = endpoint.method.rawValue.lowercased()
            if let index = paths.firstIndex(where: { $0.0 == endpoint.path }) {
                paths[index].1.append((method, operation))
            } else {
                paths.append((endpoint.path, [(method, operation)]))
            }
        }
        return .object([
            ("openapi", "3.1.0"),
            ("info", .object([("title", "Kouzi platform API"), ("version", .string(version)),
                              ("description", "Datasets, labelling and the model registry of a Kouzi server. Every request except the health checks and this document needs 'Authorization: Bearer <token>'.")])),
            ("paths", .object(paths.map { ($0.0, .object($0.1)) })),
            ("components", .object([
                ("schemas", .object(Schemas.components.map { ($0.0, $0.1.document) })),
                ("securitySchemes", .object([("bearer", .object([("type", "http"), ("scheme", "bearer")]))])),
            ])),
        ])
    }

    static func operation(_ endpoint: Endpoint) -> DocValue {
        var fields: [(String, DocValue)] = [
            ("operationId", .string(endpoint.operationID)),
            ("summary", .string(endpoint.summary)),
            ("tags", .array([.string(endpoint.tag)])),
        ]
        var parameters: [DocValue] = endpoint.pathParameters.map { name in
            .object([("name", .string(name)), ("in", "path"), ("required", .bool(true)),
                     ("schema", (isText(name, endpoint.path) ? SchemaDoc.string : .integer).document)])
        }
        parameters += endpoint.query.map { query in
            .object([("name", .string(query.name)), ("in", "query"), ("required", .bool(query.required)),
                     ("description", .string(query.description)), ("schema", query.schema.document)])
        }
        if !parameters.isEmpty { fields.append(("parameters", .array(parameters))) }
        if let body = endpoint.request {
            fields.append(("requestBody", .object([("required", .bool(true)), ("content", content(body))])))
        }
        var responses: [(String, DocValue)] = endpoint.responses.map { status, description, body in
            var response: [(String, DocValue)] = [("description", .string(description))]
            if let body { response.append(("content", content(body))) }
            return (String(status), .object(response))
        }
        for status in endpoint.errorStatuses {
            responses.append((String(status), .object([
                ("description", .string(errorDescription(status))),
                ("content", content(.json(.ref("Error")))),
            ])))
        }
        fields.append(("responses", .object(responses)))
        if endpoint.authenticated { fields.append(("security", .array([.object([("bearer", .array([]))])]))) }
        return .object(fields)
    }

    /// Path parameters that are names rather than ids (a model version may be an alias; run ids are hex text).
    static func isText(_ parameter: String, _ path: String) -> Bool {
        parameter == "alias" || parameter == "name" || parameter == "run" || parameter == "key"
            || (parameter == "version" && path.contains("/models/"))
    }

    static func content(_ body: BodyDoc) -> DocValue {
        switch body {
        case let .json(schema): return .object([("application/json", .object([("schema", schema.document)]))])
        case let .binary(mediaType):
            return .object([(mediaType, .object([("schema", .object([("type", "string"), ("format", "binary")]))]))])
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
