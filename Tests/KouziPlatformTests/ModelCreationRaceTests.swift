import Foundation
@testable import KouziPlatform
import Logging
import Testing

@Suite("Two writers creating one model")
struct ModelCreationRaceTests {
    /// Two job workers registering the first versions of a new model at once (PostgreSQL, concurrent transactions):
    /// the second waits for the first's row and uses it instead of failing on the unique name.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["KOUZI_TEST_POSTGRES"] != nil, "needs KOUZI_TEST_POSTGRES"))
    func theSecondTransactionTakesTheFirstsModel() async throws {
        let admin = ProcessInfo.processInfo.environment["KOUZI_TEST_POSTGRES"]!
        let name = "kz_race_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let maintenance = try await PostgresStore(url: admin, logger: Logger(label: "test"))
        try await maintenance.read { tx in try await tx.execute("CREATE DATABASE \(name)", []) }
        await maintenance.close()
        var url = URLComponents(string: admin)!
        url.path = "/" + name
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kouzi-race-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let platform = try await Platform.open(PlatformConfiguration(dataDirectory: directory, databaseURL: url.string!),
                                               logger: Logger(label: "test"))
        _ = try await platform.accounts.bootstrap()

        let created = AsyncStream<Void>.makeStream()
        let first = Task {
            try await platform.store.write { tx in
                let id = try await ModelRegistry.ensureModel(tx, projectID: 1, name: "shared", userID: 1)
                created.continuation.yield()
                try await Task.sleep(for: .milliseconds(300))  // still uncommitted while the second one inserts
                return id
            }
        }
        var signals = created.stream.makeAsyncIterator()
        _ = await signals.next()
        let second = try await platform.store.write { tx in
            try await ModelRegistry.ensureModel(tx, projectID: 1, name: "shared", userID: 1)
        }
        #expect(try await first.value == second)
        let count = try await platform.store.read { tx in try await tx.first("SELECT COUNT(*) AS n FROM models")!.int("n") }
        #expect(count == 1)
        await platform.close()
    }
}
