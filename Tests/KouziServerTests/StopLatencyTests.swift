import Foundation
import Testing

/// A cancelled job stops within a second, whatever phase it is in: training (on each backend) or reading and preparing
/// its data. The time runs from the cancel request's answer until the job reads as cancelled, so it includes the
/// job's last commit and the polling. The test command runs this suite on its own, after the other platform suites:
/// with the other suites' servers training and writing beside it, a cancel once took 5.6 s to show.
@Suite("Stop latency", .serialized)
struct StopLatencyTests {
    let p = "/api/v1/projects/1"

    @Test(arguments: Backend.available)
    func queuedAndRunningJobsCanBeCancelled(_ backend: Backend) async throws {
        let server = try await TestServer(backend)
        defer { server.shutdown() }
        let dataset = try await JobFixtures.uploadCSV(server, name: "clusters", JobFixtures.clustersCSV(rows: 3000))
        let body: [String: Any] = ["template": "mlp_classifier", "target": "label", "dataset": ["id": dataset, "version": 1],
                                   "hyperparameters": ["epochs": 1000, "units": 64, "batch_size": 8]]
        let running = try await server.call(nil, "POST", p + "/jobs", json: body).object["id"] as! Int
        let queued = try await server.call(nil, "POST", p + "/jobs", json: body).object["id"] as! Int
        try await JobFixtures.waitForJob(server, running) { job, lines in lines.contains { $0.hasPrefix("epoch 1/") } }
        let stopQueued = try await server.call(nil, "POST", p + "/jobs/\(queued)/cancel")
        #expect(stopQueued.status == 200 && stopQueued.object["state"] as? String == "cancelled")
        let stopRunning = try await server.call(nil, "POST", p + "/jobs/\(running)/cancel")
        #expect(stopRunning.status == 200 && stopRunning.object["cancelRequested"] as? Bool == true)
        let (latency, ended) = try await JobFixtures.secondsUntilFinished(server, running, seconds: 30)
        print("running job cancelled \(String(format: "%.2f", latency)) s after the request (\(backend))")
        #expect(ended["state"] as? String == "cancelled")
        #expect(latency < 1, "cancelled \(latency) s after the request (\(backend))")
        #expect(try await server.call(nil, "POST", p + "/jobs/\(running)/cancel").status == 409)
        let run = try await server.call(nil, "GET", p + "/runs/\(ended["runID"] as! String)")
        #expect(run.object["status"] as? String == "KILLED", "\(run.text)")
        #expect(try await server.call(nil, "GET", p + "/models").array.isEmpty, "a cancelled job registers nothing")
        try await server.checkAgainstOpenAPI()
    }

    @Test func aJobCancelledWhileItReadsAndPreparesItsDataStopsWithinASecond() async throws {
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        // 200,000 rows: reading, imputing, encoding and scaling them take a second or more in this build.
        let dataset = try await JobFixtures.uploadCSV(server, name: "big", JobFixtures.clustersCSV(rows: 200_000, noiseColumns: 8))
        let job = try await server.call(nil, "POST", p + "/jobs", json: [
            "template": "logistic_regression", "target": "label", "dataset": ["id": dataset, "version": 1],
        ]).object["id"] as! Int
        try await JobFixtures.waitForJob(server, job) { job, lines in lines.contains { $0.hasPrefix("training ") } }
        try await Task.sleep(for: .milliseconds(300))
        let before = try await server.call(nil, "GET", p + "/jobs/\(job)/logs").array.compactMap { $0["line"] as? String }
        #expect(!before.contains { $0.hasPrefix("epoch ") }, "still preparing the data when cancelled: \(before)")
        #expect(try await server.call(nil, "POST", p + "/jobs/\(job)/cancel").status == 200)
        let (latency, ended) = try await JobFixtures.secondsUntilFinished(server, job, seconds: 60)
        #expect(ended["state"] as? String == "cancelled", "\(ended)")
        print("preparing job cancelled \(String(format: "%.2f", latency)) s after the request")
        #expect(latency < 1, "cancelled \(latency) s after the request")
        let models = try await server.call(nil, "GET", p + "/models").array
        #expect(models.isEmpty, "a job cancelled while preparing registers nothing")
    }
}
