import Foundation
import Testing

/// The artifact collection endpoint: server admins only, a bounded grace period, and referenced files untouched.
@Suite struct ArtifactCollectionTests {
    @Test func onlyServerAdminsCollectAndReferencedFilesStay() async throws {
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        let dataset = try await JobFixtures.uploadCSV(server, name: "kept", JobFixtures.clustersCSV(rows: 50))
        let collected = try await server.call(nil, "POST", "/api/v1/system/artifacts/collect?graceSeconds=60")
        #expect(collected.status == 200 && collected.object["referenced"] as? Int == 1 && collected.object["removed"] as? Int == 0,
                "\(collected.text)")
        #expect(try await server.call(nil, "POST", "/api/v1/system/artifacts/collect?graceSeconds=5").status == 400)
        let viewer = try await server.call(nil, "POST", "/api/v1/tokens", json: ["name": "viewer", "role": "viewer",
                                                                                  "userID": 1]).object["secret"] as! String
        // A viewer token of the admin user is still refused: collecting changes the store.
        let refused = try await server.call(server.client(token: viewer), "POST", "/api/v1/system/artifacts/collect")
        #expect(refused.status == 403, "\(refused.text)")
        let download = try await server.call(nil, "GET", "/api/v1/projects/1/datasets/\(dataset)/versions/1/download")
        #expect(download.status == 200 && !download.body.isEmpty)
        try await server.checkAgainstOpenAPI()
    }
}
