import Hummingbird
import KouziPlatform

/// The body of a request or response as the API description states it.
enum BodyDoc: Sendable {
    /// JSON matching a schema.
    case json(SchemaDoc)
    /// Raw bytes of the given media type (streamed).
    case binary(String)
    /// Any one of several media types, as the request's or the client's choice.
    case choices([BodyDoc])
    /// Server-Sent Events (`text/event-stream`), each event (`event`, `data`) matching the schema.
    case events(SchemaDoc)
}

/// A query parameter as the API description states it.
struct QueryDoc: Sendable {
    let name: String
    let schema: SchemaDoc
    let description: String
    var required = false
}

/// One operation of the API: how it is routed, what the API description says about it, and its handler.
/// The router and `/openapi.json` are both built from the same list, so they cannot drift apart.
struct Endpoint: Sendable {
    let method: HTTPRequest.Method
    /// The path template, e.g. `/api/v1/projects/{project}`.
    let path: String
    let operationID: String
    let summary: String
    let tag: String
    var authenticated = true
    var query: [QueryDoc] = []
    var request: BodyDoc? = nil
    /// Success responses: status, description, body.
    var responses: [(Int, String, BodyDoc?)]
    let handler: @Sendable (Request, KouziContext) async throws -> Response

    /// The names of the path's parameters.
    var pathParameters: [String] {
        path.split(separator: "/").compactMap { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? String(part.dropFirst().dropLast()) : nil
        }
    }

    /// The error statuses this operation can answer with.
    var errorStatuses: [Int] {
        var statuses = [400]
        if authenticated { statuses += [401, 403] }
        if !pathParameters.isEmpty || authenticated { statuses.append(404) }
        if method == .post || method == .put || method == .patch || method == .delete { statuses += [409, 422] }
        if request != nil { statuses += [413, 415] }
        // Inference waits on a model that may fail to load, a full queue or a timeout.
        if tag == "inference" { statuses.append(503) }
        return statuses
    }
}

extension Router where Context == KouziContext {
    /// Routes every endpoint; authenticated ones resolve the bearer token first.
    func add(_ endpoints: [Endpoint], accounts: AccountService) {
        for endpoint in endpoints {
            on(RouterPath(endpoint.path), method: endpoint.method) { request, context -> Response in
                var context = context
                if endpoint.authenticated {
                    context.principal = try await authenticate(request, accounts: accounts)
                }
                return try await endpoint.handler(request, context)
            }
        }
    }
}

/// Reads `Authorization: Bearer <token>` and resolves it; without the header, the console's session cookie (a session
/// secret, never a token). A request
/// that changes something on the strength of the cookie alone must also carry `X-Kouzi-Console: 1`, which a page of
/// another site cannot add without the browser asking this server first (the cookie is also `SameSite=Strict`).
func authenticate(_ request: Request, accounts: AccountService) async throws -> Principal {
    guard let header = request.headers[.authorization] else {
        if let secret = ConsoleSession.secret(in: request) {
            if request.method != .get && request.method != .head && request.headers[ConsoleSession.marker] != "1" {
                throw PlatformError(.forbidden, code: "console_header_missing",
                                    "requests that change something with the console's session need the header 'X-Kouzi-Console: 1'")
            }
            return try await accounts.authenticate(session: secret)
        }
        throw PlatformError(.unauthorized, code: "missing_token", "send an API token as 'Authorization: Bearer <token>'")
    }
    let parts = header.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
        throw PlatformError(.unauthorized, code: "invalid_authorization", "the Authorization header must be 'Bearer <token>'")
    }
    return try await accounts.authenticate(secret: String(parts[1]).trimmingCharacters(in: .whitespaces))
}
