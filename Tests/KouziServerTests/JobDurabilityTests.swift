import Foundation
import Testing

/// Jobs survive their workers: a worker killed in the middle of an epoch leaves the job to resume from its last
/// checkpoint, with every epoch in the metric history exactly once; workers sharing PostgreSQL never run a job twice.
@Suite("Job durability", .serialized)
struct JobDurabilityTests {
    let p = "/api/v1/projects/1"

    /// Submits a training job whose epochs take seconds (about 30 MFLOP a step, 2,250 steps an epoch), so a
    /// heartbeat reports each epoch part-way through.
    func submitSlowJob(_ server: TestServer, epochs: Int) async throws -> Int {
        let dataset = try await JobFixtures.uploadCSV(server, name: "wide", JobFixtures.clustersCSV(rows: 20000, noiseColumns: 10))
        let submitted = try await server.call(nil, "POST", p + "/jobs", json: [
            "template": "mlp_classifier", "target": "label", "dataset": ["id": dataset, "version": 1], "seed": 1,
            "hyperparameters": ["epochs": epochs, "units": 512, "hidden_layers": 3, "batch_size": 8, "validation_split": 0.1],
        ])
        #expect(submitted.status == 201, "\(submitted.text)")
        return submitted.object["id"] as! Int
    }

    /// Waits until the job is part-way through an epoch after at least `epochs` checkpoints.
    func waitUntilMidEpoch(_ server: TestServer, _ id: Int, after epochs: Int) async throws {
        try await JobFixtures.waitForJob(server, id, seconds: 120) { job, lines in
            let done = lines.filter { $0.hasPrefix("epoch ") }.count
            let progress = job["progress"] as? [String: Any]
            return done >= epochs && (progress?["epoch"] as? Int ?? 0) > done && (progress?["step"] as? Int ?? 0) > 1
        }
    }

    /// The job finished with every epoch in its history exactly once.
    func expectCompleteHistory(_ server: TestServer, _ id: Int, epochs: Int) async throws -> [String: Any] {
        let job = try await JobFixtures.waitForJob(server, id, seconds: 240)
        #expect(job["state"] as? String == "succeeded", "\(job)")
        let history = try await server.call(nil, "GET", p + "/jobs/\(id)/metrics").object
        for key in ["loss", "accuracy", "val_loss"] {
            let steps = (history[key] as? [[String: Any]] ?? []).compactMap { $0["step"] as? Int }
            #expect(steps == Array(1...epochs), "\(key): \(steps)")
        }
        let result = job["result"] as? [String: Any] ?? [:]
        #expect(result["epochs"] as? Int == epochs)
        return job
    }

    @Test func aServerKilledMidEpochResumesTheJobFromItsCheckpoint() async throws {
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        let id = try await submitSlowJob(server, epochs: 5)
        try await waitUntilMidEpoch(server, id, after: 2)
        server.process.stop(signal: SIGKILL)
        try server.restart()
        let job = try await expectCompleteHistory(server, id, epochs: 5)
        #expect(job["attempts"] as? Int == 2)
        let resumedAfter = (job["result"] as? [String: Any])?["resumedAfterEpoch"] as? Int ?? 0
        #expect(resumedAfter >= 2, "resumed after epoch \(resumedAfter)")
        let lines = try await server.call(nil, "GET", p + "/jobs/\(id)/logs").array.compactMap { $0["line"] as? String }
        #expect(lines.contains("resumed from the checkpoint after epoch \(resumedAfter)"))
    }

    @Test func aStoppedServerHandsItsJobBackAndResumesItOnStart() async throws {
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        let id = try await submitSlowJob(server, epochs: 4)
        try await waitUntilMidEpoch(server, id, after: 1)
        // A console page follows the job's live events and a client keeps an idle connection: neither holds the
        // shutdown up (at most --shutdown-timeout, 10 s; a job that stops at its next step takes far less).
        let events = try RawSocket(port: server.process.port)
        try events.send(Data("GET \(p)/jobs/\(id)/events HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer \(server.admin.token!)\r\n\r\n".utf8))
        let idle = try RawSocket(port: server.process.port)
        try await Task.sleep(for: .milliseconds(500))
        let start = Date()
        #expect(server.process.stop(signal: SIGTERM) == 0)
        let stopped = Date().timeIntervalSince(start)
        #expect(stopped < 3, "exited \(stopped) s after SIGTERM")
        #expect(events.readUntilClosed(limit: 1).closed && idle.readUntilClosed(limit: 1).closed)
        try server.restart()
        let job = try await expectCompleteHistory(server, id, epochs: 4)
        #expect(job["attempts"] as? Int == 1, "a graceful stop does not use up an attempt")
    }

    @Test(.enabled(if: Backend.available.contains(.postgres), "needs KOUZI_TEST_POSTGRES"))
    func aKilledWorkerIsReplacedAndTheJobResumes() async throws {
        let server = try await TestServer(.postgres, extraArguments: ["--workers", "0"])
        defer { server.shutdown() }
        let database = server.database!
        let first = try WorkerProcess(database: database, dataDirectory: server.process.dataDirectory)
        let id = try await submitSlowJob(server, epochs: 4)
        try await waitUntilMidEpoch(server, id, after: 2)
        first.stop(signal: SIGKILL)
        let second = try WorkerProcess(database: database, dataDirectory: server.process.dataDirectory)
        defer { second.stop() }
        let job = try await expectCompleteHistory(server, id, epochs: 4)
        #expect(job["attempts"] as? Int == 2)
        #expect(job["worker"] as? String == second.name)
        let lines = try await server.call(nil, "GET", p + "/jobs/\(id)/logs").array.compactMap { $0["line"] as? String }
        #expect(lines.contains { $0.contains("stopped answering; queued again") })
    }

    @Test(.enabled(if: Backend.available.contains(.postgres), "needs KOUZI_TEST_POSTGRES"))
    func twoWorkersNeverRunTheSameJob() async throws {
        let server = try await TestServer(.postgres, extraArguments: ["--workers", "0"])
        defer { server.shutdown() }
        let dataset = try await JobFixtures.uploadCSV(server, name: "tiny", JobFixtures.clustersCSV(rows: 30))
        let workers = try (0..<2).map { _ in try WorkerProcess(database: server.database!, dataDirectory: server.process.dataDirectory) }
        defer { workers.forEach { $0.stop() } }
        var ids: [Int] = []
        for i in 0..<40 {
            let job = try await server.call(nil, "POST", p + "/jobs", json: [
                "template": "logistic_regression", "target": "label", "dataset": ["id": dataset, "version": 1], "seed": i,
                "hyperparameters": ["epochs": 1, "validation_split": 0],
            ])
            ids.append(job.object["id"] as! Int)
        }
        var ranBy: [String: Int] = [:]
        for id in ids {
            let job = try await JobFixtures.waitForJob(server, id, seconds: 120)
            #expect(job["state"] as? String == "succeeded" && job["attempts"] as? Int == 1, "\(job)")
            let starts = try await server.call(nil, "GET", p + "/jobs/\(id)/logs").array
                .compactMap { $0["line"] as? String }.filter { $0.contains("started on worker") }
            #expect(starts.count == 1, "job \(id) started \(starts.count) times")
            ranBy[job["worker"] as? String ?? "?", default: 0] += 1
        }
        #expect(Set(ranBy.keys) == Set(workers.compactMap(\.name)), "both workers took jobs: \(ranBy)")
        let versions = try await server.call(nil, "GET", p + "/models").array.first?["latestVersion"] as? Int
        #expect(versions == 40, "each job registered exactly one version")
    }
}
