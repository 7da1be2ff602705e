import Foundation
import KouziFormats
import KouziNN
import KouziPlatform
import Logging
import Testing

/// The databases the end-to-end tests run against: SQLite always; PostgreSQL when `KOUZI_TEST_POSTGRES` names a
/// server (a URL to its maintenance database), as `.ci/run` does after starting one.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    static var available: [Backend] {
        ProcessInfo.processInfo.environment["KOUZI_TEST_POSTGRES"] == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    var testDescription: String { rawValue }

    /// A fresh, empty database URL for one test (nil for SQLite, which lives in the data directory).
    func freshDatabase() async throws -> String? {
        guard self == .postgres, let admin = ProcessInfo.processInfo.environment["KOUZI_TEST_POSTGRES"] else { return nil }
        let name = "kz_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let store = try await PostgresStore(url: admin, logger: Logger(label: "test"))
        try await store.read { tx in try await tx.execute("CREATE DATABASE \(name)", []) }
        await store.close()
        var components = URLComponents(string: admin)!
        components.path = "/" + name
        return components.string!
    }
}

/// A running server, an admin client, and a record of every response to check against `/openapi.json`.
final class TestServer: @unchecked Sendable {
    let backend: Backend
    var process: ServerProcess
    let database: String?
    let admin: HTTPTestClient
    private var calls: [(String, String, Int, String?, Data)] = []
    private let lock = NSLock()

    init(_ backend: Backend, extraArguments: [String] = []) async throws {
        self.backend = backend
        database = try await backend.freshDatabase()
        process = try ServerProcess(database: database, extraArguments: extraArguments)
        guard let token = process.adminToken else { throw TestFailure("the first start printed no admin token") }
        admin = HTTPTestClient(base: process.baseURL, token: token)
    }

    /// Restarts the server on the same data directory and database (after it stopped or was killed).
    func restart(extraArguments: [String] = []) throws {
        process = try ServerProcess(dataDirectory: process.dataDirectory, database: database, extraArguments: extraArguments)
    }

    var base: URL { process.baseURL }
    func client(token: String?) -> HTTPTestClient { HTTPTestClient(base: process.baseURL, token: token) }

    /// Sends a request and records the response for the API-description check.
    @discardableResult
    func call(_ client: HTTPTestClient? = nil, _ method: String, _ path: String, json: Any? = nil, body: Data? = nil,
              contentType: String? = nil, headers: [String: String] = [:]) async throws -> HTTPResult {
        let client = client ?? HTTPTestClient(base: process.baseURL, token: admin.token)
        let result = try await client.send(method, path, json: json, body: body, contentType: contentType, headers: headers)
        lock.withLock { calls.append((method, path, result.status, result.headers["content-type"], result.body)) }
        return result
    }

    /// Checks every recorded response against the served API description.
    func checkAgainstOpenAPI(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let document = try await HTTPTestClient(base: process.baseURL).get("/openapi.json")
        let checker = OpenAPIChecker(document: document.object)
        let recorded = lock.withLock { calls }
        for (method, path, status, contentType, body) in recorded {
            // Deliberate calls of unknown routes or methods are answered, but by definition undocumented.
            if status == 404 || status == 405, let code = HTTPResult(status: status, headers: [:], body: body).code,
               code == "route_not_found" || code == "method_not_allowed" { continue }
            let problems = checker.check(method: method, path: path, status: status, contentType: contentType, body: body)
            #expect(problems.isEmpty, "\(problems)", sourceLocation: sourceLocation)
        }
    }

    func shutdown() {
        process.stop()
        process.removeData()
    }
}

/// Test data made on the fly.
enum Fixtures {
    /// A small trained classifier saved as a `.kouzi` package and zipped.
    static func modelPackage(seed: Float = 1, inputs: Int = 3, hidden: Int? = nil) throws -> Data {
        let model = Sequential(inputShape: [inputs], (hidden.map { [Dense($0, activation: .relu)] } ?? []) + [Dense(2, activation: .softmax)])
        try model.compile(optimizer: Adam(), loss: .sparseCategoricalCrossentropy(), metrics: ["accuracy"])
        model.classLabels = ["no", "yes"]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pkg-\(UUID().uuidString).kouzi")
        defer { try? FileManager.default.removeItem(at: directory) }
        try model.save(to: directory.path)
        let manifest = try Data(contentsOf: directory.appendingPathComponent("model.json"))
        let weights = try Data(contentsOf: directory.appendingPathComponent("weights.safetensors"))
        return Data(try ZipWriter.archive([(name: "m.kouzi/model.json", bytes: [UInt8](manifest)),
                                           (name: "m.kouzi/weights.safetensors", bytes: [UInt8](weights))]))
    }

    /// A small CSV with a missing value, a duplicate row and a label column.
    static let messyCSV = """
        age,income,city,label
        34,52000,Lyon,yes
        28,,Paris,no
        45,61000,Lyon,yes
        34,52000,Lyon,yes
        51,88000,Nice,
        39,47000,Paris,
        23,31000,Nice,no

        """

    /// IDX files for `count` 4×4 images with labels 0…2 (gzip is optional for the server).
    static func idxPair(count: Int = 12) -> (images: Data, labels: Data) {
        var images: [UInt8] = [0, 0, 0x08, 3]
        images += bigEndian(UInt32(count)) + bigEndian(4) + bigEndian(4)
        var labels: [UInt8] = [0, 0, 0x08, 1] + bigEndian(UInt32(count))
        for i in 0..<count {
            images += (0..<16).map { UInt8(($0 * 16 + i) % 256) }
            labels.append(UInt8(i % 3))
        }
        return (Data(images), Data(labels))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
