import Crypto
import Foundation
import KouziFormats
import Testing

/// The platform's main flow over real HTTP against a real server process: datasets, versions with lineage,
/// profile, quality, cleaning, registry and aliases, downloads — each response checked against `/openapi.json`.
@Suite("Platform flow", .serialized)
struct PlatformFlowTests {
    @Test(arguments: Backend.available)
    func datasetsCleaningAndRegistry(_ backend: Backend) async throws {
        let server = try await TestServer(backend)
        defer { server.shutdown() }
        let p = "/api/v1/projects/1"

        let me = try await server.call(nil, "GET", "/api/v1/me")
        #expect(me.status == 200 && (me.object["principal"] as? [String: Any])?["isServerAdmin"] as? Bool == true)

        // A CSV dataset: upload, inspect, profile, quality.
        let created = try await server.call(nil, "POST", p + "/datasets", json: ["name": "customers", "description": "test"])
        #expect(created.status == 201)
        let datasetID = created.object["id"] as! Int
        let csv = Data(Fixtures.messyCSV.utf8)
        let v1 = try await server.call(nil, "POST", p + "/datasets/\(datasetID)/versions/upload?format=csv&filename=customers.csv&target=label",
                                       body: csv, contentType: "text/csv")
        #expect(v1.status == 201, "\(v1.text)")
        #expect(v1.object["number"] as? Int == 1 && v1.object["rowCount"] as? Int == 7 && v1.object["kind"] as? String == "table")
        let summary = v1.object["summary"] as? [String: Any]
        #expect((summary?["columns"] as? [[String: Any]])?.map { $0["type"] as? String } == ["integer", "integer", "categorical", "boolean"])
        let profile = try await server.call(nil, "GET", p + "/datasets/\(datasetID)/versions/1/profile")
        let income = (profile.object["columns"] as? [[String: Any]])?.first { $0["name"] as? String == "income" }
        #expect(income?["missingCount"] as? Int == 1)
        let quality = try await server.call(nil, "GET", p + "/datasets/\(datasetID)/versions/1/quality")
        #expect(quality.status == 200 && quality.text.contains("duplicate"))
        let declared = try await server.call(nil, "POST", p + "/datasets/\(datasetID)/versions/1/quality",
                                             json: ["constraints": ["age": ["min": 25, "max": 50], "city": ["allowedValues": ["Lyon", "Paris"]]]])
        let outOfRange = declared.object["outOfRange"] as? [[String: Any]] ?? []
        #expect(declared.status == 200 && outOfRange.count == 2, "\(declared.text)")
        #expect(try await server.call(nil, "POST", p + "/datasets/\(datasetID)/versions/1/quality",
                                      json: ["constraints": ["height": ["min": 0]]]).code == "invalid_constraints")

        // Cleaning: preview writes nothing; the real run makes version 2 with its parent and pipeline.
        let steps: [[String: Any]] = [["op": "dropDuplicates"], ["op": "impute", "columns": ["income"], "strategy": "median"]]
        let preview = try await server.call(nil, "POST", p + "/datasets/\(datasetID)/versions/1/clean/preview", json: ["steps": steps])
        #expect(preview.status == 200 && (preview.object["result"] as? [String: Any])?["rowCount"] as? Int == 6)
        #expect(try await server.call(nil, "GET", p + "/datasets/\(datasetID)/versions").array.count == 1)
        let cleaned = try await server.call(nil, "POST", p + "/datasets/\(datasetID)/versions/1/clean", json: ["steps": steps])
        #expect(cleaned.status == 201, "\(cleaned.text)")
        let v2 = cleaned.object["version"] as? [String: Any]
        #expect(v2?["number"] as? Int == 2 && v2?["parentNumber"] as? Int == 1 && v2?["rowCount"] as? Int == 6)
        #expect((v2?["operation"] as? [String: Any])?["type"] as? String == "clean")
        let versions = try await server.call(nil, "GET", p + "/datasets/\(datasetID)/versions").array
        #expect(versions.map { $0["number"] as? Int } == [1, 2])

        // Malformed pipelines: a 400 naming the step and what is wrong, on both endpoints, and no new version.
        let malformed: [(Any, String)] = [
            (["steps": [["op": "bogus"]]], "steps[0]"), (["steps": [["op": "dropDuplicates"], ["op": "clip"]]], "steps[1]"),
            (["steps": [["op": "renameColumn", "from": "age", "to": "years"]]], "'from'"), (["steps": [String: Any]()], "steps"),
        ]
        for (body, named) in malformed {
            for endpoint in ["clean/preview", "clean"] {
                let answer = try await server.call(nil, "POST", p + "/datasets/\(datasetID)/versions/1/\(endpoint)", json: body)
                #expect(answer.status == 400 && answer.code == "invalid_pipeline", "\(endpoint) \(body): \(answer.status) \(answer.text)")
                #expect((answer.object["error"] as? String ?? "").contains(named), "\(endpoint) \(body): \(answer.text)")
            }
        }
        #expect(try await server.call(nil, "GET", p + "/datasets/\(datasetID)/versions").array.count == 2)

        // An IDX pair through separate uploads.
        let idx = Fixtures.idxPair()
        let images = try await server.call(nil, "POST", p + "/uploads", body: idx.images)
        let labels = try await server.call(nil, "POST", p + "/uploads", body: idx.labels)
        #expect(images.status == 201 && labels.status == 201)
        let digits = try await server.call(nil, "POST", p + "/datasets", json: ["name": "digits"]).object["id"] as! Int
        let idxVersion = try await server.call(nil, "POST", p + "/datasets/\(digits)/versions", json: [
            "format": "idx",
            "files": [["name": "images.idx", "sha256": images.object["sha256"]!], ["name": "labels.idx", "sha256": labels.object["sha256"]!]],
        ])
        #expect(idxVersion.status == 201, "\(idxVersion.text)")
        #expect(idxVersion.object["rowCount"] as? Int == 12 && idxVersion.object["kind"] as? String == "images")

        // Downloads return the exact bytes, with the sha256 as ETag.
        let download = try await server.call(nil, "GET", p + "/datasets/\(datasetID)/versions/1/download")
        #expect(download.status == 200 && download.body == csv)
        #expect(download.headers["etag"] == "\"\(SHA256.hash(data: csv).map { String(format: "%02x", $0) }.joined())\"")
        let labelFile = try await server.call(nil, "GET", p + "/datasets/\(digits)/versions/1/files/labels.idx")
        #expect(labelFile.body == idx.labels)
        let archive = try await server.call(nil, "GET", p + "/datasets/\(digits)/versions/1/archive")
        let zip = try ZipArchive(bytes: [UInt8](archive.body))
        #expect(try zip.contents(ofEntryNamed: "images.idx") == [UInt8](idx.images))
        #expect(try zip.contents(ofEntryNamed: "labels.idx") == [UInt8](idx.labels))

        // Registry: two versions with metrics and lineage, an alias that moves, guarded deletion, downloads.
        let model = try await server.call(nil, "POST", p + "/models", json: ["name": "churn"]).object["id"] as! Int
        let package1 = try Fixtures.modelPackage()
        let m1 = try await server.call(nil, "POST", p + "/models/\(model)/versions?description=first&metrics=%7B%22accuracy%22%3A0.8%7D&datasetId=\(datasetID)&datasetVersion=2",
                                       body: package1, contentType: "application/zip")
        #expect(m1.status == 201, "\(m1.text)")
        #expect((m1.object["metrics"] as? [String: Any])?["accuracy"] as? Double == 0.8)
        #expect((m1.object["lineage"] as? [String: Any])?["datasetVersion"] as? Int == 2)
        let signature = m1.object["signature"] as? [String: Any]
        #expect(signature?["classLabels"] as? [String] == ["no", "yes"])
        let package2 = try Fixtures.modelPackage(seed: 2)
        let m2 = try await server.call(nil, "POST", p + "/models/\(model)/versions", body: package2, contentType: "application/zip")
        #expect(m2.object["number"] as? Int == 2)
        #expect(try await server.call(nil, "PUT", p + "/models/\(model)/aliases/production", json: ["version": 1]).status == 200)
        #expect(try await server.call(nil, "GET", p + "/models/\(model)/versions/production").object["number"] as? Int == 1)
        #expect(try await server.call(nil, "DELETE", p + "/models/\(model)/versions/1").code == "version_aliased")
        let moved = try await server.call(nil, "PUT", p + "/models/\(model)/aliases/production", json: ["version": 2])
        #expect((moved.object["aliases"] as? [String: Any])?["production"] as? Int == 2)
        #expect(try await server.call(nil, "GET", p + "/models/\(model)/versions/production").object["number"] as? Int == 2)
        let patched = try await server.call(nil, "PATCH", p + "/models/\(model)/versions/2", json: ["tags": ["stage": "candidate"]])
        #expect((patched.object["tags"] as? [String: String])?["stage"] == "candidate")
        let downloaded = try await server.call(nil, "GET", p + "/models/\(model)/versions/production/download")
        #expect(downloaded.status == 200 && downloaded.body == package2)
        #expect(try await server.call(nil, "GET", p + "/models/\(model)/versions/1/download").body == package1)
        #expect(try await server.call(nil, "DELETE", p + "/models/\(model)/versions/1").status == 204)
        #expect(try await server.call(nil, "GET", p + "/models/\(model)/versions").array.map { $0["number"] as? Int } == [2])
        #expect(try await server.call(nil, "GET", p + "/models/\(model)/versions/staging").code == "alias_not_found")

        try await server.checkAgainstOpenAPI()
    }
}
