import Foundation
import KouziFormats
import Testing

/// Labelling over HTTP: a schema, a task over the unlabelled rows or files, two annotators, agreement, and the
/// export that makes a new version.
@Suite("Labelling", .serialized)
struct LabellingTests {
    @Test(arguments: Backend.available)
    func tableRowsByTwoAnnotators(_ backend: Backend) async throws {
        let server = try await TestServer(backend)
        defer { server.shutdown() }
        let p = "/api/v1/projects/1"
        let dataset = try await server.call(nil, "POST", p + "/datasets", json: ["name": "leads"]).object["id"] as! Int
        let d = p + "/datasets/\(dataset)"
        let v1 = try await server.call(nil, "POST", d + "/versions/upload?format=csv&filename=leads.csv",
                                       body: Data(Fixtures.messyCSV.utf8), contentType: "text/csv")
        #expect(v1.status == 201)
        #expect(try await server.call(nil, "POST", d + "/versions/1/label-tasks", json: [:]).code == "no_label_schema")
        #expect(try await server.call(nil, "PUT", d + "/label-schema", json: ["type": "classes", "classes": ["yes"]]).code == "invalid_classes")
        let schema = try await server.call(nil, "PUT", d + "/label-schema", json: ["type": "classes", "classes": ["yes", "no"], "column": "label"])
        #expect(schema.status == 200)

        // A second annotator with an editor token in the project.
        let user = try await server.call(nil, "POST", "/api/v1/users", json: ["name": "ana"]).object["id"] as! Int
        #expect(try await server.call(nil, "PUT", p + "/members/\(user)", json: ["role": "editor"]).status == 200)
        let anaToken = try await server.call(nil, "POST", "/api/v1/tokens", json: ["name": "ana-laptop", "role": "editor", "userID": user])
        let ana = server.client(token: anaToken.object["secret"] as? String)

        let task = try await server.call(nil, "POST", d + "/versions/1/label-tasks", json: ["annotationsPerItem": 2])
        #expect(task.status == 201 && task.object["itemCount"] as? Int == 2, "\(task.text)")
        let t = d + "/label-tasks/\(task.object["id"] as! Int)"

        // Each annotator walks the queue with /next; they agree on one item and not on the other.
        var adminLabels: [String] = []
        while true {
            let next = try await server.call(nil, "GET", t + "/next")
            if next.status == 204 { break }
            let item = next.object["index"] as! Int
            let label = item == 0 ? "yes" : "no"
            adminLabels.append(label)
            #expect(try await server.call(nil, "POST", t + "/annotations", json: ["item": item, "label": label]).status == 200)
        }
        #expect(adminLabels == ["yes", "no"])
        #expect(try await server.call(nil, "POST", t + "/annotations", json: ["item": 0, "label": "maybe"]).code == "invalid_label")
        #expect(try await server.call(nil, "POST", t + "/annotations", json: ["item": 7, "label": "yes"]).code == "item_not_found")
        for item in [0, 1] {
            #expect(try await server.call(ana, "POST", t + "/annotations", json: ["item": item, "label": "yes"]).status == 200)
        }
        #expect(try await server.call(ana, "GET", t + "/next").status == 204)
        let progress = try await server.call(nil, "GET", t)
        #expect(progress.object["completeItems"] as? Int == 2 && progress.object["annotationCount"] as? Int == 4)
        let agreement = try await server.call(nil, "GET", t + "/agreement")
        #expect(agreement.object["percentAgreement"] as? Double == 0.5)
        let items = try await server.call(nil, "GET", t + "/items")
        #expect(items.array.count == 2 && (items.array[0]["annotations"] as? [String: String])?["ana"] == "yes")

        // Export: majority labels (the tie goes to the first class, 'yes'); the task closes.
        let exported = try await server.call(nil, "POST", t + "/export")
        #expect(exported.status == 201, "\(exported.text)")
        #expect(exported.object["number"] as? Int == 2 && exported.object["parentNumber"] as? Int == 1)
        #expect((exported.object["operation"] as? [String: Any])?["ties"] as? Int == 1)
        let csv = try await server.call(nil, "GET", d + "/versions/2/download").text
        #expect(csv.contains("51,88000,Nice,yes") && csv.contains("39,47000,Paris,yes"), "\(csv)")
        #expect(try await server.call(nil, "POST", t + "/annotations", json: ["item": 0, "label": "no"]).code == "task_closed")
        try await server.checkAgainstOpenAPI()
    }

    @Test func imageFilesMoveIntoTheirClassFolders() async throws {
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        let p = "/api/v1/projects/1"
        let dataset = try await server.call(nil, "POST", p + "/datasets", json: ["name": "pets"]).object["id"] as! Int
        let d = p + "/datasets/\(dataset)"
        let png = Fixtures.png(width: 3, height: 2)
        let zip = try ZipWriter.archive([
            (name: "pets/cat/a.png", bytes: png), (name: "pets/dog/b.png", bytes: png),
            (name: "pets/unlabeled/c.png", bytes: png), (name: "pets/unlabeled/d.png", bytes: png),
        ])
        let v1 = try await server.call(nil, "POST", d + "/versions/upload?format=image-folder&filename=pets.zip",
                                       body: Data(zip), contentType: "application/zip")
        #expect(v1.status == 201, "\(v1.text)")
        _ = try await server.call(nil, "PUT", d + "/label-schema", json: ["type": "classes", "classes": ["cat", "dog"]])
        let task = try await server.call(nil, "POST", d + "/versions/1/label-tasks", json: [:])
        #expect(task.object["itemCount"] as? Int == 2)
        let t = d + "/label-tasks/\(task.object["id"] as! Int)"
        let first = try await server.call(nil, "GET", t + "/next")
        #expect((first.object["content"] as? [String: Any])?["path"] as? String == "pets/unlabeled/c.png")
        _ = try await server.call(nil, "POST", t + "/annotations", json: ["item": 0, "label": "dog"])
        _ = try await server.call(nil, "POST", t + "/annotations", json: ["item": 1, "label": "cat"])
        let exported = try await server.call(nil, "POST", t + "/export")
        #expect(exported.status == 201, "\(exported.text)")
        let classes = ((exported.object["summary"] as? [String: Any])?["classes"] as? [[String: Any]])?
            .map { "\($0["name"]!)=\($0["count"]!)" }
        #expect(classes == ["cat=2", "dog=2"], "\(exported.text)")
        try await server.checkAgainstOpenAPI()
    }
}

extension Fixtures {
    /// The header of a PNG image (signature and IHDR), enough for inspection.
    static func png(width: UInt32, height: UInt32) -> [UInt8] {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]
        bytes += bigEndian(width) + bigEndian(height) + [8, 2, 0, 0, 0]
        let crc = CRC32.checksum(Array(bytes[12...]))
        bytes += bigEndian(crc) + [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]
        return bytes
    }
}
