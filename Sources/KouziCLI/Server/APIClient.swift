import KouziBase
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KouziNN

/// Talks to a running `kouzi serve`: JSON requests, streamed uploads from files and downloads to files, with the
/// server's `{"error", "code"}` turned into a readable error.
struct APIClient: Sendable {
    let server: URL
    let token: String?

    /// Reads `--server` (or `$KOUZI_SERVER`) and `$KOUZI_TOKEN`.
    init(server: String?) throws {
        let environment = ProcessInfo.processInfo.environment
        let address = server ?? environment["KOUZI_SERVER"] ?? "http://127.0.0.1:8080"
        guard let url = URL(string: address), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw CLIError.failed("--server '\(address)' is not an http(s) URL")
        }
        self.server = url
        token = environment["KOUZI_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A client of `server` with `token`.
    init(server: URL, token: String) {
        self.server = server
        self.token = token
    }

    func url(_ path: String, query: [String: String?] = [:]) throws -> URL {
        guard var components = URLComponents(url: server.appendingPathComponent(path), resolvingAgainstBaseURL: false) else {
            throw CLIError.failed("bad path \(path)")
        }
        let items = query.compactMap { key, value in value.map { URLQueryItem(name: key, value: $0) } }
        if !items.isEmpty { components.queryItems = items.sorted { $0.name < $1.name } }
        guard let url = components.url else { throw CLIError.failed("bad path \(path)") }
        return url
    }

    func request(_ method: String, _ path: String, query: [String: String?] = [:], contentType: String? = nil) throws -> URLRequest {
        var request = URLRequest(url: try url(path, query: query))
        request.httpMethod = method
        request.timeoutInterval = 3600
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        return request
    }

    /// Sends a request with an optional JSON body and returns the JSON answer.
    func json(_ method: String, _ path: String, query: [String: String?] = [:], body: JSONValue? = nil) throws -> JSONValue {
        var prepared = try request(method, path, query: query, contentType: body == nil ? nil : "application/json")
        if let body { prepared.httpBody = Data(body.rendered().utf8) }
        let request = prepared
        let (data, response) = try perform { try await URLSession.shared.data(for: request) }
        return try decode(data, response)
    }

    /// Streams a file as the request body.
    func upload(_ path: String, file: URL, query: [String: String?] = [:], contentType: String = "application/octet-stream") throws -> JSONValue {
        guard FileManager.default.isReadableFile(atPath: file.path) else { throw CLIError.missingPath(kind: "file", path: file.path) }
        let request = try request("POST", path, query: query, contentType: contentType)
        let (data, response) = try perform { try await URLSession.shared.upload(for: request, fromFile: file) }
        return try decode(data, response)
    }

    /// Downloads to a file (written to a temporary name, then renamed).
    func download(_ path: String, query: [String: String?] = [:], to destination: URL) throws -> Int64 {
        let request = try request("GET", path, query: query)
        let (temporary, response) = try perform { try await URLSession.shared.download(for: request) }
        guard let http = response as? HTTPURLResponse else { throw CLIError.failed("no HTTP response") }
        guard (200..<300).contains(http.statusCode) else {
            let data = (try? Data(contentsOf: temporary)) ?? Data()
            try? FileManager.default.removeItem(at: temporary)
            _ = try decode(data, response)
            throw CLIError.failed("HTTP \(http.statusCode)")
        }
        let size = ((try? FileManager.default.attributesOfItem(atPath: temporary.path))?[.size] as? NSNumber)?.int64Value ?? 0
        if let expected = http.value(forHTTPHeaderField: "Content-Length").flatMap(Int64.init), expected != size {
            try? FileManager.default.removeItem(at: temporary)
            throw CLIError.failed("download cut off: got \(size) of \(expected) bytes (the server found the stored file damaged, or the connection broke)")
        }
        let staging = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).part")
        try? FileManager.default.removeItem(at: staging)
        try FileManager.default.moveItem(at: temporary, to: staging)
        if FileManager.default.fileExists(atPath: destination.path) { try FileManager.default.removeItem(at: destination) }
        try FileManager.default.moveItem(at: staging, to: destination)
        return size
    }

    private func perform<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        do { return try runBlocking(work) } catch let error as CLIError { throw error } catch {
            throw CLIError.failed("cannot reach \(server.absoluteString): \(error.localizedDescription)")
        }
    }

    private func decode(_ data: Data, _ response: URLResponse) throws -> JSONValue {
        guard let http = response as? HTTPURLResponse else { throw CLIError.failed("no HTTP response") }
        let value = data.isEmpty ? JSONValue.object([:]) : (try? JSONDecoder().decode(JSONValue.self, from: data))
        guard (200..<300).contains(http.statusCode) else {
            let message = value?.objectValue?["error"]?.stringValue ?? String(decoding: data.prefix(300), as: UTF8.self)
            let code = value?.objectValue?["code"]?.stringValue ?? "http_\(http.statusCode)"
            throw CLIError.failed("server answered \(http.statusCode) \(code): \(message)")
        }
        guard let value else { throw CLIError.failed("the server's answer is not JSON") }
        return value
    }
}
