import Foundation
import Testing

/// Several server processes share one PostgreSQL database and data directory: what one writes the other reads,
/// and versions created through both at once get distinct, gap-free numbers.
@Suite("Shared PostgreSQL")
struct SharedDatabaseTests {
    @Test(.enabled(if: Backend.available.contains(.postgres), "needs KOUZI_TEST_POSTGRES"))
    func twoServersOneDatabase() async throws {
        let first = try await TestServer(.postgres)
        defer { first.shutdown() }
        let second = try ServerProcess(dataDirectory: first.process.dataDirectory, database: first.database)
        defer { second.stop() }
        #expect(second.adminToken == nil, "the second process must not bootstrap again")
        let a = first.admin
        let b = HTTPTestClient(base: second.baseURL, token: a.token)
        let p = "/api/v1/projects/1"
        let dataset = try await a.post(p + "/datasets", ["name": "shared"]).object["id"] as! Int
        #expect(try await b.get(p + "/datasets/\(dataset)").object["name"] as? String == "shared")

        // Ten uploads of different content, alternating between the processes, all at once.
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<10 {
                let client = i % 2 == 0 ? a : b
                group.addTask {
                    let csv = Data("x,y\n\(i),\(i * i)\n".utf8)
                    let result = try await client.upload(p + "/datasets/\(dataset)/versions/upload?format=csv", csv, contentType: "text/csv")
                    return result.object["number"] as? Int ?? -result.status
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(results.sorted() == Array(1...10), "\(results)")
        let listed = try await b.get(p + "/datasets/\(dataset)/versions").array.map { $0["number"] as? Int }
        #expect(listed == Array(1...10))
        // A file uploaded through one process downloads through the other.
        #expect(try await b.get(p + "/datasets/\(dataset)/versions/3/download").status == 200)
    }
}
