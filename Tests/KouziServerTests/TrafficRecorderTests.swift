import Foundation
import Logging
import Testing
@testable import KouziPlatform

/// Traffic per minute: exact percentiles, failures and batch sizes written to the database, several processes
/// added up, old minutes pruned, undeployed names forgotten.
@Suite struct TrafficRecorderTests {
    func store(_ backend: Backend) async throws -> (any Store, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kouzi-traffic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store: any Store
        if let url = try await backend.freshDatabase() {
            store = try await PostgresStore(url: url, logger: Logger(label: "test"))
        } else {
            store = try SQLiteStore(path: directory.appendingPathComponent("kouzi.sqlite").path)
        }
        _ = try await Migrator.migrate(store)
        return (store, directory)
    }

    @Test(arguments: Backend.available)
    func minutesKeepExactPercentilesFailuresAndBatchSizes(_ backend: Backend) async throws {
        let (store, directory) = try await store(backend)
        defer { try? FileManager.default.removeItem(at: directory) }
        let recorder = TrafficRecorder(store: store, process: "a", flushDelay: .seconds(3600))
        let minute: Int64 = 1_800_000_000_000 / 60_000 * 60_000
        // 100 successes at 1…100 ms, shuffled, and two failures in the first minute; batches of 4 and 8 rows.
        for ms in (1...100).shuffled() { recorder.success("m", latency: Double(ms) / 1000, queued: 0.002, at: minute + Int64(ms) * 100) }
        recorder.failure("m", at: minute + 5)
        recorder.failure("m", at: minute + 6)
        recorder.batch("m", rows: 4, at: minute + 7)
        recorder.batch("m", rows: 8, at: minute + 8)
        // One request in the next minute, and one for another deployment.
        recorder.success("m", latency: 0.5, queued: 0, at: minute + 60_000 + 1)
        recorder.success("other", latency: 0.1, queued: 0, at: minute + 1)
        try await recorder.flush(now: minute + 60_000 + 2)

        let minutes = try await recorder.minutes("m", since: minute)
        #expect(minutes.count == 2)
        let first = try #require(minutes.first)
        #expect(first.minute == minute)
        #expect(first.requests == 102 && first.errors == 2)
        #expect(abs(try #require(first.p50) - 0.050) < 1e-12)
        #expect(abs(try #require(first.p90) - 0.090) < 1e-12)
        #expect(abs(try #require(first.p99) - 0.099) < 1e-12)
        #expect(abs(try #require(first.mean) - 0.0505) < 1e-12)
        #expect(abs(try #require(first.queueMean) - 0.002) < 1e-12)
        #expect(first.batchMean == 6)
        #expect(minutes[1].requests == 1 && minutes[1].p50 == 0.5 && minutes[1].batchMean == nil)
        // `since` leaves earlier minutes out.
        #expect(try await recorder.minutes("m", since: minute + 60_000).count == 1)

        // A later change to a minute still in memory replaces its row instead of adding one.
        recorder.success("m", latency: 0.5, queued: 0, at: minute + 60_000 + 3)
        try await recorder.flush(now: minute + 60_000 + 4)
        #expect(try await recorder.minutes("m", since: minute).last?.requests == 2)

        try await recorder.forget("m")
        #expect(try await recorder.minutes("m", since: 0).isEmpty)
        #expect(try await recorder.minutes("other", since: 0).count == 1)
        await store.close()
    }

    @Test(arguments: Backend.available)
    func processesAddUpAndOldMinutesArePruned(_ backend: Backend) async throws {
        let (store, directory) = try await store(backend)
        defer { try? FileManager.default.removeItem(at: directory) }
        let a = TrafficRecorder(store: store, process: "a", flushDelay: .seconds(3600))
        let b = TrafficRecorder(store: store, process: "b", flushDelay: .seconds(3600))
        let minute: Int64 = 1_800_000_000_000 / 60_000 * 60_000
        for ms in 1...100 { a.success("m", latency: Double(ms) / 1000, queued: 0, at: minute + 10) }
        for _ in 0..<50 { b.success("m", latency: 0.010, queued: 0, at: minute + 20) }
        b.failure("m", at: minute + 30)
        try await a.flush(now: minute + 1000)
        try await b.flush(now: minute + 1000)
        let merged = try #require(try await a.minutes("m", since: minute).first)
        #expect(merged.requests == 151 && merged.errors == 1)
        // Percentiles are averaged with the processes' successful requests as weights.
        let expected: Double = (0.050 * 100 + 0.010 * 50) / 150
        let p50 = try #require(merged.p50)
        #expect(abs(p50 - expected) < 1e-12)

        // A flush more than the retention period later deletes the old rows.
        a.success("m", latency: 0.001, queued: 0, at: minute + 8 * 86_400_000)
        try await a.flush(now: minute + 8 * 86_400_000 + 10)
        let left = try await a.minutes("m", since: 0)
        #expect(left.map(\.minute) == [minute + 8 * 86_400_000])
        await store.close()
    }
}
