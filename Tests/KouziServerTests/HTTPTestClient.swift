import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A response as the tests look at it.
struct HTTPResult: Sendable {
    let status: Int
    let headers: [String: String]
    let body: Data

    /// The body as JSON.
    var json: Any? { try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
    /// The body as a JSON object.
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    /// The body as a JSON array.
    var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
    /// The error code of an error response.
    var code: String? { object["code"] as? String }
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// Plain HTTP calls against a test server.
struct HTTPTestClient: Sendable {
    let base: URL
    var token: String?

    func send(_ method: String, _ path: String, json: Any? = nil, body: Data? = nil,
              contentType: String? = nil, headers: [String: String] = [:]) async throws -> HTTPResult {
        var request = URLRequest(url: URL(string: base.absoluteString + path)!)
        request.httpMethod = method
        request.timeoutInterval = 120
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed])
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let body {
            request.httpBody = body
            request.setValue(contentType ?? "application/octet-stream", forHTTPHeaderField: "Content-Type")
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (key, value) in http.allHeaderFields { fields[String(describing: key).lowercased()] = String(describing: value) }
        return HTTPResult(status: http.statusCode, headers: fields, body: data)
    }

    func get(_ path: String) async throws -> HTTPResult { try await send("GET", path) }
    func post(_ path: String, _ json: Any) async throws -> HTTPResult { try await send("POST", path, json: json) }
    func upload(_ path: String, _ data: Data, contentType: String = "application/octet-stream") async throws -> HTTPResult {
        try await send("POST", path, body: data, contentType: contentType)
    }

    func with(token: String?) -> HTTPTestClient { HTTPTestClient(base: base, token: token) }
}
