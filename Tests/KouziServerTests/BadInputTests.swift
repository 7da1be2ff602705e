import Foundation
import KouziFormats
import Testing

/// Bad input gets a precise 4xx with a JSON body naming the problem — never a 500, never a crash.
@Suite("Bad input and access", .serialized)
struct BadInputTests {
    @Test(arguments: Backend.available)
    func malformedRequestsGetPrecise4xx(_ backend: Backend) async throws {
        let server = try await TestServer(backend, extraArguments: ["--max-upload-mib", "1"])
        defer { server.shutdown() }
        let p = "/api/v1/projects/1"
        let dataset = try await server.call(nil, "POST", p + "/datasets", json: ["name": "inputs"]).object["id"] as! Int
        let d = p + "/datasets/\(dataset)"

        // A ragged CSV: 422 naming the file and line.
        let ragged = try await server.call(nil, "POST", d + "/versions/upload?format=csv&filename=bad.csv",
                                           body: Data("a,b\n1,2\n3,4,5\n".utf8), contentType: "text/csv")
        #expect(ragged.status == 422 && ragged.code == "invalid_csv" && ragged.text.contains("bad.csv"), "\(ragged.text)")
        // A table far wider than any model reads: refused at upload, before a job could spend minutes on it.
        let wide = (0...10_000).map { "c\($0)" }.joined(separator: ",") + "\n" + Array(repeating: "1", count: 10_001).joined(separator: ",") + "\n"
        let tooWide = try await server.call(nil, "POST", d + "/versions/upload?format=csv&filename=wide.csv",
                                            body: Data(wide.utf8), contentType: "text/csv")
        #expect(tooWide.status == 422 && tooWide.code == "table_too_wide" && tooWide.text.contains("10001 columns"), "\(tooWide.text)")
        // A ZIP whose entry climbs out of its folder.
        let evil = try ZipWriterUnsafe.archive(named: "../../etc/passwd", bytes: Array("x".utf8))
        let traversal = try await server.call(nil, "POST", d + "/versions/upload?format=image-folder",
                                              body: Data(evil), contentType: "application/zip")
        #expect(traversal.status == 422 && traversal.text.contains("../../etc/passwd"), "\(traversal.text)")
        // Over the upload limit: by Content-Length, before reading the body.
        let big = try await server.call(nil, "POST", p + "/uploads", body: Data(count: (1 << 20) + 1))
        #expect(big.status == 413 && big.code == "too_large", "\(big.text)")
        // Not JSON, wrong JSON, wrong media type, wrong field type.
        let notJSON = try await server.call(nil, "POST", p + "/datasets", body: Data("{name".utf8), contentType: "application/json")
        #expect(notJSON.status == 400 && notJSON.code == "invalid_json")
        let missing = try await server.call(nil, "POST", p + "/datasets", json: ["description": "no name"])
        #expect(missing.status == 400 && missing.text.contains("missing field 'name'"), "\(missing.text)")
        let wrongType = try await server.call(nil, "POST", p + "/datasets", json: ["name": 5])
        #expect(wrongType.status == 400 && wrongType.text.contains("name should be a string"), "\(wrongType.text)")
        let fraction = try await server.call(nil, "POST", "/api/v1/tokens", json: ["name": "t", "role": "viewer", "userID": 1.5])
        #expect(fraction.status == 400 && fraction.text.contains("userID should be an integer"), "\(fraction.text)")
        let nested = try await server.call(nil, "POST", p + "/jobs", json: [
            "template": "logistic_regression", "target": "label", "dataset": ["id": 1, "version": 2.5]])
        #expect(nested.status == 400 && nested.text.contains("dataset.version should be an integer"), "\(nested.text)")
        let media = try await server.call(nil, "POST", p + "/datasets", body: Data("name=x".utf8), contentType: "text/plain")
        #expect(media.status == 415)
        #expect(try await server.call(nil, "POST", p + "/datasets", json: ["name": "../x"]).code == "invalid_name")
        #expect(try await server.call(nil, "POST", p + "/datasets", json: ["name": "inputs"]).status == 409)
        // Unknown formats, files and versions; bad ids; unknown routes and methods.
        #expect(try await server.call(nil, "POST", d + "/versions/upload?format=xls", body: Data("x".utf8)).code == "invalid_format")
        #expect(try await server.call(nil, "POST", d + "/versions", json: ["format": "csv", "files": [["name": "a.csv", "sha256": String(repeating: "0", count: 64)]]]).code == "unknown_upload")
        #expect(try await server.call(nil, "GET", d + "/versions/9").status == 404)
        #expect(try await server.call(nil, "GET", p + "/datasets/abc").code == "invalid_dataset")
        #expect(try await server.call(nil, "GET", p + "/datasets?limit=0").code == "invalid_limit")
        #expect(try await server.call(nil, "GET", "/api/v1/nothing").code == "route_not_found")
        #expect(try await server.call(nil, "DELETE", "/api/v1/projects").status == 405)
        // A console address that names nothing: an HTML page with the project's sections; the APIs stay JSON.
        let page = try await server.admin.send("GET", "/p/1/nowhere")
        #expect(page.status == 404 && page.headers["content-type"]?.hasPrefix("text/html") == true, "\(page.status) \(page.text)")
        #expect(page.text.contains("data-page=\"error\"") && page.text.contains("href=\"/p/1/models\""), "\(page.text)")
        let browser = try await server.admin.send("GET", "/nowhere", headers: ["Accept": "text/html"])
        #expect(browser.status == 404 && browser.text.contains("There is no page"), "\(browser.text)")
        let api = try await server.admin.send("GET", "/api/v1/nowhere", headers: ["Accept": "text/html"])
        #expect(api.status == 404 && api.code == "route_not_found", "\(api.text)")
        #expect(try await server.call(nil, "POST", p + "/datasets/\(dataset)/versions/upload?format=csv", body: Data()).code == "empty_body")
        // A model package that is not a model.
        let model = try await server.call(nil, "POST", p + "/models", json: ["name": "m"]).object["id"] as! Int
        let junk = try await server.call(nil, "POST", p + "/models/\(model)/versions", body: Data("not a zip".utf8), contentType: "application/zip")
        #expect(junk.status == 422 && junk.code == "invalid_model_package")
        let incomplete = try ZipWriter.archive([(name: "model.json", bytes: Array("{}".utf8))])
        let noWeights = try await server.call(nil, "POST", p + "/models/\(model)/versions", body: Data(incomplete), contentType: "application/zip")
        #expect(noWeights.status == 422 && noWeights.text.contains("weights.safetensors"))
        #expect(try await server.call(nil, "GET", p + "/models/\(model)/versions/production").code == "alias_not_found")
        #expect(try await server.call(nil, "PUT", p + "/models/\(model)/aliases/production", json: ["version": 3]).status == 404)
        #expect(try await server.call(nil, "PUT", p + "/models/\(model)/aliases/7", json: ["version": 1]).code == "invalid_alias")
        // Nothing above left a version behind.
        #expect(try await server.call(nil, "GET", d + "/versions").array.isEmpty)
        #expect(!server.process.log.contains { $0.contains("unhandled error") })
        try await server.checkAgainstOpenAPI()
    }

    @Test(arguments: Backend.available)
    func tokensRolesAndProjectIsolation(_ backend: Backend) async throws {
        let server = try await TestServer(backend)
        defer { server.shutdown() }
        let anonymous = server.client(token: nil)
        #expect(try await server.call(anonymous, "GET", "/api/v1/projects").code == "missing_token")
        #expect(try await server.call(server.client(token: "kz_0000"), "GET", "/api/v1/projects").code == "invalid_token")
        #expect(try await anonymous.send("GET", "/api/v1/projects", headers: ["Authorization": "Basic abc"]).code == "invalid_authorization")
        #expect(try await anonymous.get("/healthz").status == 200)
        #expect(try await anonymous.get("/readyz").status == 200)

        // Bob owns project 'secret'; the admin's viewer token can read; a stranger sees nothing.
        let bob = try await server.call(nil, "POST", "/api/v1/users", json: ["name": "bob"]).object["id"] as! Int
        let bobToken = try await server.call(nil, "POST", "/api/v1/tokens", json: ["name": "bob", "role": "admin", "userID": bob])
        let bobClient = server.client(token: bobToken.object["secret"] as? String)
        let secret = try await server.call(bobClient, "POST", "/api/v1/projects", json: ["name": "secret"])
        #expect(secret.status == 201)
        let sp = "/api/v1/projects/\(secret.object["id"] as! Int)"
        let ds = try await server.call(bobClient, "POST", sp + "/datasets", json: ["name": "private"]).object["id"] as! Int
        let eve = try await server.call(nil, "POST", "/api/v1/users", json: ["name": "eve"]).object["id"] as! Int
        let eveToken = try await server.call(nil, "POST", "/api/v1/tokens", json: ["name": "eve", "role": "editor", "userID": eve])
        let eveClient = server.client(token: eveToken.object["secret"] as? String)
        #expect(try await server.call(eveClient, "GET", sp).code == "project_not_found")
        #expect(try await server.call(eveClient, "GET", sp + "/datasets/\(ds)").code == "project_not_found")
        #expect(try await server.call(eveClient, "GET", "/api/v1/projects/1/datasets/\(ds)").code == "project_not_found")
        #expect(try await server.call(eveClient, "GET", "/api/v1/projects").array.isEmpty)
        // The dataset id exists, but not in project 1: the admin's own project does not reveal it.
        #expect(try await server.call(nil, "GET", "/api/v1/projects/1/datasets/\(ds)").code == "dataset_not_found")
        // Viewer membership: reads work, writes are 403.
        _ = try await server.call(bobClient, "PUT", sp + "/members/\(eve)", json: ["role": "viewer"])
        #expect(try await server.call(eveClient, "GET", sp + "/datasets").status == 200)
        #expect(try await server.call(eveClient, "POST", sp + "/datasets", json: ["name": "x"]).code == "forbidden")
        #expect(try await server.call(eveClient, "PUT", sp + "/members/\(eve)", json: ["role": "admin"]).code == "forbidden")
        // A viewer token caps an admin user; a token cannot mint a stronger one; only server admins make users.
        let capped = try await server.call(bobClient, "POST", "/api/v1/tokens", json: ["name": "ro", "role": "viewer"])
        let cappedClient = server.client(token: capped.object["secret"] as? String)
        #expect(try await server.call(cappedClient, "POST", sp + "/datasets", json: ["name": "y"]).code == "forbidden")
        #expect(try await server.call(cappedClient, "POST", "/api/v1/tokens", json: ["name": "up", "role": "admin"]).code == "forbidden")
        #expect(try await server.call(bobClient, "POST", "/api/v1/users", json: ["name": "mallory"]).code == "forbidden")
        // Revocation takes effect at once in this process; tokens are listed without secrets.
        let tokens = try await server.call(bobClient, "GET", "/api/v1/tokens")
        #expect(!tokens.text.contains("secret") && !tokens.text.contains(bobToken.object["secret"] as! String))
        let id = (capped.object["token"] as? [String: Any])?["id"] as! Int
        #expect(try await server.call(bobClient, "DELETE", "/api/v1/tokens/\(id)").status == 200)
        #expect(try await server.call(cappedClient, "GET", "/api/v1/projects").code == "invalid_token")
        #expect(try await server.call(eveClient, "DELETE", "/api/v1/tokens/\(id)").code == "token_not_found")
        try await server.checkAgainstOpenAPI()
    }
}

/// Builds a ZIP whose entry name is not checked (our writer refuses unsafe names), to attack the server.
enum ZipWriterUnsafe {
    static func archive(named name: String, bytes: [UInt8]) throws -> [UInt8] {
        let safe = try ZipWriter.archive([(name: String(repeating: "a", count: name.utf8.count), bytes: bytes)], method: .stored)
        let original = Array(String(repeating: "a", count: name.utf8.count).utf8)
        var result = safe
        var index = 0
        while index + original.count <= result.count {
            if Array(result[index..<index + original.count]) == original {
                result.replaceSubrange(index..<index + original.count, with: Array(name.utf8))
                index += original.count
            } else {
                index += 1
            }
        }
        return result
    }
}
