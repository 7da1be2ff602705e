import Foundation
import KouziData
import Testing

/// `/openapi.json` describes exactly what the server routes: every documented operation answers (with a status it
/// documents), paths it does not document are unknown routes, and the document is OpenAPI 3.1 in shape.
@Suite("API description")
struct OpenAPITests {
    @Test func everyDocumentedOperationIsRoutedAndAnswersAsDocumented() async throws {
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        let document = try await HTTPTestClient(base: server.base).get("/openapi.json")
        #expect(document.status == 200)
        #expect(document.object["openapi"] as? String == "3.1.0")
        let checker = OpenAPIChecker(document: document.object)
        let operations = checker.operations
        #expect(operations.count >= 40, "only \(operations.count) operations documented")
        #expect(Set(operations.compactMap { $0.operation["operationId"] as? String }).count == operations.count)
        for (method, template, operation) in operations {
            // Placeholder ids that exist nowhere: the handler must answer, not the router's "no such route".
            let path = template.replacingOccurrences(of: #"\{[a-z]+\}"#, with: "999999", options: .regularExpression)
            let body: Data? = operation["requestBody"] == nil ? nil
                : ((operation["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"] != nil
                    ? Data("{}".utf8) : Data("x".utf8)
            let contentType = body.map { $0 == Data("{}".utf8) ? "application/json" : "application/octet-stream" }
            let result = try await server.call(nil, method, path, body: body, contentType: contentType)
            #expect(result.code != "route_not_found" && result.code != "method_not_allowed", "\(method) \(template) is not routed")
            #expect(result.status < 500, "\(method) \(template) answered \(result.status): \(result.text)")
        }
        // Every answer above, errors included, is one its operation documents, with a body matching its schema.
        try await server.checkAgainstOpenAPI()
        // And paths outside the description are not routed.
        for path in ["/api/v1/projects/1/secrets", "/api/v2/projects", "/admin"] {
            #expect(try await server.admin.get(path).code == "route_not_found")
        }
    }

    /// A path parameter documented as an integer is one: any other text is refused with a 400 naming it (a name
    /// documented as an integer would answer 404 instead, and clients generated from the description could not
    /// call the route at all).
    @Test func pathParametersDocumentedAsIntegersAreIds() async throws {
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        let document = try await HTTPTestClient(base: server.base).get("/openapi.json")
        var checked = 0
        for (method, template, operation) in OpenAPIChecker(document: document.object).operations {
            // Operations with a body read it first (a missing field would answer before the id is looked at).
            guard operation["requestBody"] == nil else { continue }
            let parameters = operation["parameters"] as? [[String: Any]] ?? []
            let integers = parameters.filter {
                $0["in"] as? String == "path" && ($0["schema"] as? [String: Any])?["type"] as? String == "integer"
            }.compactMap { $0["name"] as? String }
            for name in integers {
                var path = template.replacingOccurrences(of: "{\(name)}", with: "not-an-id")
                path = path.replacingOccurrences(of: #"\{[a-z]+\}"#, with: "1", options: .regularExpression)
                let required = parameters.filter { $0["in"] as? String == "query" && $0["required"] as? Bool == true }
                    .compactMap { $0["name"] as? String }
                if !required.isEmpty { path += "?" + required.map { "\($0)=1" }.joined(separator: "&") }
                let result = try await server.call(nil, method, path)
                #expect(result.status == 400 && result.text.contains(name), "\(method) \(template) with {\(name)} = not-an-id: \(result.status) \(result.text)")
                checked += 1
            }
        }
        #expect(checked >= 60, "only \(checked) integer path parameters checked")
    }
}
