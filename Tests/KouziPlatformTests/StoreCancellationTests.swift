import Foundation
@testable import KouziPlatform
import Testing

@Suite("The store under cancellation")
struct StoreCancellationTests {
    /// A writer cancelled inside its transaction (a job worker stopped mid-write) rolls back and leaves the
    /// connection free: the next write begins its own transaction and sees none of the cancelled one's rows.
    @Test func aCancelledWriteRollsBackAndTheNextWriteProceeds() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kouzi-store-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteStore(path: path)
        try await store.write { db in try await db.execute("CREATE TABLE points (x INTEGER)", []) }

        let inserted = AsyncStream<Void>.makeStream()
        let writer = Task {
            try await store.write { db in
                try await db.execute("INSERT INTO points (x) VALUES (1)", [])
                inserted.continuation.yield()
                try await Task.sleep(for: .seconds(30))
            }
        }
        var signals = inserted.stream.makeAsyncIterator()
        _ = await signals.next()
        writer.cancel()
        await #expect(throws: CancellationError.self) { try await writer.value }

        try await store.write { db in try await db.execute("INSERT INTO points (x) VALUES (2)", []) }
        let rows = try await store.read { db in try await db.query("SELECT x FROM points", []) }
        #expect(rows.map { $0["x"] } == [.int(2)])
        await store.close()
    }
}
