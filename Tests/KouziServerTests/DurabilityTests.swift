import Crypto
import Foundation
import KouziPlatform
import Testing

/// Nothing is lost or half-written: cut uploads leave no version, SIGKILL leaves a consistent database whose every
/// version's files exist and match their hashes, and SIGTERM stops the server cleanly.
@Suite("Durability", .serialized)
struct DurabilityTests {
    @Test(arguments: Backend.available)
    func cutUploadsLeaveNoVersion(_ backend: Backend) async throws {
        let server = try await TestServer(backend)
        defer { server.shutdown() }
        let p = "/api/v1/projects/1"
        let dataset = try await server.call(nil, "POST", p + "/datasets", json: ["name": "cut"]).object["id"] as! Int
        let path = p + "/datasets/\(dataset)/versions/upload?format=csv"

        // The client goes away halfway through the body.
        let socket = try RawSocket.partialUpload(port: server.process.port, path: path, token: server.admin.token!,
                                                 declared: 4_000_000, sent: 1_000_000)
        try await Task.sleep(for: .milliseconds(300))
        socket.closeNow()
        try await waitUntil { temporaryFiles(server).isEmpty }
        #expect(try await server.call(nil, "GET", p + "/datasets/\(dataset)/versions").array.isEmpty)
        // A client that leaves is not a server error.
        let unhandled = server.process.log.filter { $0.contains("unhandled error") }
        #expect(unhandled.isEmpty, "\(unhandled)")

        // The server dies halfway through a body; after a restart there is no version either.
        let second = try RawSocket.partialUpload(port: server.process.port, path: path, token: server.admin.token!,
                                                 declared: 4_000_000, sent: 2_000_000)
        try await Task.sleep(for: .milliseconds(300))
        server.process.stop(signal: SIGKILL)
        second.closeNow()
        try server.restart()
        #expect(try await server.call(nil, "GET", p + "/datasets/\(dataset)/versions").array.isEmpty)
        #expect(try await server.call(nil, "GET", "/readyz").status == 200)
    }

    @Test(arguments: Backend.available)
    func sigkillDuringWritesKeepsTheDatabaseConsistent(_ backend: Backend) async throws {
        let server = try await TestServer(backend)
        defer { server.shutdown() }
        let p = "/api/v1/projects/1"
        for round in 0..<3 {
            // Writers on their own threads: new datasets, each with an upload and a cleaning, as fast as they go.
            let port = server.process.port
            let token = server.admin.token
            let stop = StopFlag()
            let writers = (0..<4).map { writer in
                let done = DispatchSemaphore(value: 0)
                Thread.detachNewThread {
                    var index = 0
                    while !stop.isSet {
                        index += 1
                        let name = "r\(round)-w\(writer)-\(index)"
                        let created = RawSocket.request(port: port, method: "POST", path: p + "/datasets", token: token,
                                                        body: Data("{\"name\":\"\(name)\"}".utf8))
                        guard created.status == 201,
                              let object = try? JSONSerialization.jsonObject(with: created.body) as? [String: Any],
                              let id = object["id"] as? Int else { continue }
                        stop.count()
                        let csv = (["x,y"] + (0..<200).map { "\($0 % 17),\(($0 * 7 + index) % 13)" }).joined(separator: "\n")
                        _ = RawSocket.request(port: port, method: "POST", path: p + "/datasets/\(id)/versions/upload?format=csv",
                                              token: token, body: Data(csv.utf8), contentType: "text/csv")
                        _ = RawSocket.request(port: port, method: "POST", path: p + "/datasets/\(id)/versions/1/clean", token: token,
                                              body: Data(#"{"steps":[{"op":"dropDuplicates"}]}"#.utf8))
                    }
                    done.signal()
                }
                return done
            }
            // Kill once writing is well under way (however loaded the machine), at a moment that varies by round.
            for _ in 0..<600 where stop.created < 4 { try await Task.sleep(for: .milliseconds(100)) }
            try await Task.sleep(for: .milliseconds(150 + 200 * round))
            server.process.stop(signal: SIGKILL)
            stop.set()
            for done in writers { done.wait() }
            try server.restart()
            try await checkConsistency(server, backend: backend)
        }
    }

    @Test func sigtermStopsGracefully() async throws {
        let server = try await TestServer(.sqlite)
        defer { server.process.removeData() }
        #expect(try await server.call(nil, "GET", "/api/v1/me").status == 200)
        #expect(server.process.stop(signal: SIGTERM) == 0)
    }

    /// Every listed version has contiguous numbers, its parent, and files present with matching hashes.
    func checkConsistency(_ server: TestServer, backend: Backend) async throws {
        let p = "/api/v1/projects/1"
        if backend == .sqlite {
            let store = try SQLiteStore(path: server.process.dataDirectory.appendingPathComponent("kouzi.sqlite").path)
            #expect(try await store.integrityCheck().isEmpty)
            await store.close()
        }
        let datasets = try await server.call(nil, "GET", p + "/datasets?limit=1000").array
        #expect(!datasets.isEmpty)
        for dataset in datasets {
            let id = dataset["id"] as! Int
            let versions = try await server.call(nil, "GET", p + "/datasets/\(id)/versions").array
            #expect(versions.map { $0["number"] as! Int } == Array(1...max(1, versions.count)).prefix(versions.count).map { $0 })
            for version in versions {
                if let parent = version["parentNumber"] as? Int { #expect(parent < version["number"] as! Int) }
                let number = version["number"] as! Int
                let files = version["files"] as! [[String: Any]]
                let body = try await server.call(nil, "GET", p + "/datasets/\(id)/versions/\(number)/download")
                #expect(body.status == 200)
                let hash = SHA256.hash(data: body.body).map { String(format: "%02x", $0) }.joined()
                #expect(hash == files[0]["sha256"] as? String)
            }
        }
    }
}

/// A flag threads poll to stop.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    private var made = 0
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
    /// Datasets the writers created so far.
    var created: Int { lock.withLock { made } }
    func count() { lock.withLock { made += 1 } }
}

func temporaryFiles(_ server: TestServer) -> [String] {
    (try? FileManager.default.contentsOfDirectory(atPath: server.process.dataDirectory.appendingPathComponent("tmp").path)) ?? []
}

/// Polls a condition for up to thirty seconds.
func waitUntil(_ condition: () -> Bool) async throws {
    for _ in 0..<600 {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("condition not met within 30 s")
}
