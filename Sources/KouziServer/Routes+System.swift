import Foundation
import Hummingbird
import KouziPlatform

/// The route table of the API.
enum APIRoutes {
    /// Every endpoint (the router and `/openapi.json` are built from this list).
    static func all(_ platform: Platform) -> [Endpoint] {
        system(platform) + accounts(platform) + datasets(platform) + labelling(platform) + models(platform) + tracking(platform)
            + jobs(platform) + serving(platform) + recommendations(platform) + monitoring(platform)
    }

    /// Health checks and the API description.
    static func system(_ platform: Platform) -> [Endpoint] {
        struct Health: Encodable { let status: String }
        return [
            Endpoint(method: .get, path: "/healthz", operationID: "health", summary: "Liveness: the process answers",
                     tag: "system", authenticated: false,
                     responses: [(200, "Alive", .json(.ref("Health")))]) { _, _ in
                try JSON.response(Health(status: "ok"))
            },
            Endpoint(method: .get, path: "/readyz", operationID: "ready",
                     summary: "Readiness: the database answers and the data directory is writable", tag: "system",
                     authenticated: false,
                     responses: [(200, "Ready", .json(.ref("Health"))), (503, "Not ready", .json(.ref("Error")))]) { _, _ in
                if await platform.isReady() { return try JSON.response(Health(status: "ready")) }
                return jsonError(status: .serviceUnavailable, code: "not_ready", message: "the database or data directory is unavailable")
            },
            Endpoint(method: .post, path: "/api/v1/system/artifacts/collect", operationID: "collectArtifacts",
                     summary: "Remove stored files no row refers to and nobody wrote or reused within graceSeconds "
                        + "(server admins; `kouzi serve` also does it every hour)", tag: "system",
                     query: [QueryDoc(name: "graceSeconds", schema: .integer(60...SchemaDoc.largestExactInteger),
                                      description: "Files younger than this stay (default 3600, at least 60)")],
                     responses: [(200, "What was removed", .json(.ref("ArtifactCollection")))]) { request, context in
                try platform.accounts.requireServerAdmin(try context.caller)
                let grace = try request.queryInt("graceSeconds", in: 60...SchemaDoc.largestExactInteger) ?? 3600
                return try JSON.response(try await platform.collectArtifactGarbage(grace: TimeInterval(grace)))
            },
            Endpoint(method: .get, path: "/openapi.json", operationID: "openapi", summary: "This API's OpenAPI 3.1 description",
                     tag: "system", authenticated: false, responses: [(200, "The description", .json(.any))]) { _, _ in
                try JSON.response(OpenAPI.document(endpoints: all(platform), version: KouziServer.version),
                                  headers: [.cacheControl: "no-cache"])
            },
        ]
    }
}
