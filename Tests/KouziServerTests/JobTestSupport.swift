import Foundation
import Testing

/// Helpers of the training-service tests: data sets made on the fly, uploads, waiting for jobs.
enum JobFixtures {
    /// A CSV of `rows` points in two noisy clusters per class ("a", "b", "c"), separable by the first two columns,
    /// with a categorical column; deterministic.
    static func clustersCSV(rows: Int = 300, noiseColumns: Int = 0) -> String {
        var state: UInt64 = 0x9E3779B97F4A7C15
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        let centres = [(0.0, 0.0), (3.0, 0.0), (0.0, 3.0)]
        var header = ["x1", "x2", "shade"] + (0..<noiseColumns).map { "n\($0)" } + ["label"]
        var lines = [header.joined(separator: ",")]
        for i in 0..<rows {
            let c = i % 3
            var fields = [String(centres[c].0 + next() - 0.5), String(centres[c].1 + next() - 0.5), ["dark", "light"][i % 2]]
            fields += (0..<noiseColumns).map { _ in String(next()) }
            fields.append(["a", "b", "c"][c])
            lines.append(fields.joined(separator: ","))
        }
        header.removeAll()
        return lines.joined(separator: "\n") + "\n"
    }

    /// Creates a dataset and uploads `csv` as its first version; returns the dataset id.
    static func uploadCSV(_ server: TestServer, name: String, _ csv: String, project: Int = 1) async throws -> Int {
        let p = "/api/v1/projects/\(project)"
        let dataset = try await server.call(nil, "POST", p + "/datasets", json: ["name": name])
        #expect(dataset.status == 201, "\(dataset.text)")
        let id = dataset.object["id"] as! Int
        let version = try await server.call(nil, "POST", p + "/datasets/\(id)/versions/upload?format=csv",
                                            body: Data(csv.utf8), contentType: "text/csv")
        #expect(version.status == 201, "\(version.text)")
        return id
    }

    /// A GET on its own connection, made on a thread outside the async pool (polling loops stay off URLSession,
    /// and blocking calls must not occupy the few threads every test in this process shares).
    static func get(_ server: TestServer, _ path: String) async -> Any? {
        let port = server.process.port, token = server.admin.token
        let body = await offPool { RawSocket.request(port: port, method: "GET", path: path, token: token).body }
        return try? JSONSerialization.jsonObject(with: body)
    }

    /// Polls a job until it has finished (or the time runs out); returns its last state.
    static func waitForJob(_ server: TestServer, _ id: Int, project: Int = 1, seconds: Double = 120) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let job = await get(server, "/api/v1/projects/\(project)/jobs/\(id)") as? [String: Any] ?? [:]
            if let state = job["state"] as? String, ["succeeded", "failed", "cancelled"].contains(state) { return job }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TestFailure("job \(id) did not finish within \(seconds) s")
    }

    /// Seconds from now until the job has finished, polling every 20 ms (at most `seconds`).
    static func secondsUntilFinished(_ server: TestServer, _ id: Int, seconds: Double = 60) async throws -> (Double, [String: Any]) {
        let start = Date()
        while Date().timeIntervalSince(start) < seconds {
            let job = await get(server, "/api/v1/projects/1/jobs/\(id)") as? [String: Any] ?? [:]
            if let state = job["state"] as? String, ["succeeded", "failed", "cancelled"].contains(state) {
                return (Date().timeIntervalSince(start), job)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("job \(id) did not finish within \(seconds) s")
    }

    /// Polls until `condition` holds for the job (or the time runs out).
    static func waitForJob(_ server: TestServer, _ id: Int, seconds: Double = 60,
                           until condition: ([String: Any], [String]) -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        var job: [String: Any] = [:], lines: [String] = []
        while Date() < deadline {
            job = await get(server, "/api/v1/projects/1/jobs/\(id)") as? [String: Any] ?? [:]
            lines = (await get(server, "/api/v1/projects/1/jobs/\(id)/logs") as? [[String: Any]] ?? []).compactMap { $0["line"] as? String }
            if condition(job, lines) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("job \(id) did not reach the awaited point within \(seconds) s: \(job), log \(lines)")
    }

    /// Parses a Server-Sent Events stream into (event, data) pairs.
    static func events(_ text: String) -> [(event: String, data: [String: Any])] {
        text.components(separatedBy: "\n\n").compactMap { block in
            var event = "message", data = ""
            for line in block.split(separator: "\n") {
                if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data += line.dropFirst(6) }
            }
            guard !data.isEmpty, let object = try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any] else { return nil }
            return (event, object)
        }
    }
}

/// Runs blocking work (sockets, thread fan-outs) on a thread of its own and waits for it without holding one of the
/// async pool's threads, which all tests running at once share.
func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}

/// A `kouzi worker` process on a shared PostgreSQL database and data directory.
final class WorkerProcess: @unchecked Sendable {
    let process = Process()
    private let output = Pipe()
    private var text = ""
    private let lock = NSLock()

    init(database: String, dataDirectory: URL, heartbeatTimeout: Double = 2) throws {
        process.executableURL = URL(fileURLWithPath: try ServerProcess.executable)
        process.arguments = ["worker", "--database", database, "--data", dataDirectory.path, "--log-level", "info",
                             "--heartbeat-timeout", String(heartbeatTimeout)]
        process.standardOutput = output
        process.standardError = output
        try process.run()
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let chunk = String(decoding: handle.availableData, as: UTF8.self)
            self?.lock.withLock { self?.text += chunk }
        }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && !log.contains("taking jobs") {
            guard process.isRunning else { throw TestFailure("kouzi worker exited: \(log)") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        guard log.contains("taking jobs") else { throw TestFailure("kouzi worker did not start: \(log)") }
    }

    var log: String { lock.withLock { text } }

    /// The worker's name as it printed it.
    var name: String? {
        log.split(separator: "\n").first { $0.contains("taking jobs") }.flatMap { $0.split(separator: " ").dropFirst(2).first.map(String.init) }
    }

    @discardableResult
    func stop(signal: Int32 = SIGTERM) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
        return process.terminationStatus
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }
}
