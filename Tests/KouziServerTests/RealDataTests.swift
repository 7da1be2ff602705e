import Foundation
import KouziData
import Testing

/// Uploads of the real MNIST IDX files (skipped where the datasets folder is absent).
@Suite("Real data uploads")
struct RealDataTests {
    @Test func mnistIDXFilesBecomeAnImageDataset() async throws {
        guard let directory = DatasetLocator.directory(named: "mnist") else {
            print(DatasetLocator.skipMessage(for: "mnist"))
            return
        }
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        let p = "/api/v1/projects/1"
        let dataset = try await server.call(nil, "POST", p + "/datasets", json: ["name": "mnist"]).object["id"] as! Int
        for (number, prefix, count) in [(1, "train", 60000), (2, "t10k", 10000)] {
            var files: [[String: Any]] = []
            for kind in ["images-idx3", "labels-idx1"] {
                let name = "\(prefix)-\(kind)-ubyte.gz"
                let data = try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(name))
                let stored = try await server.call(nil, "POST", p + "/uploads", body: data)
                #expect(stored.status == 201 && stored.object["size"] as? Int == data.count)
                files.append(["name": name, "sha256": stored.object["sha256"]!])
            }
            let version = try await server.call(nil, "POST", p + "/datasets/\(dataset)/versions", json: ["format": "idx", "files": files])
            #expect(version.status == 201, "\(version.text)")
            #expect(version.object["number"] as? Int == number && version.object["rowCount"] as? Int == count)
            let summary = version.object["summary"] as? [String: Any]
            #expect(summary?["itemShape"] as? [Int] == [28, 28])
            #expect((summary?["classes"] as? [[String: Any]])?.count == 10)
        }
        let labels = try await server.call(nil, "GET", p + "/datasets/\(dataset)/versions/2/files/t10k-labels-idx1-ubyte.gz")
        #expect(labels.body == (try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent("t10k-labels-idx1-ubyte.gz"))))
        try await server.checkAgainstOpenAPI()
    }
}
