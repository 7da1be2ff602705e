import Foundation
import KouziFormats
import Testing

/// Audio folders and text corpora become versions with their summaries; a damaged artifact is refused on read.
@Suite("Format uploads")
struct FormatUploadTests {
    @Test func audioFolderAndTextCorpus() async throws {
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        let p = "/api/v1/projects/1"
        let audio = try await server.call(nil, "POST", p + "/datasets", json: ["name": "digits"]).object["id"] as! Int
        let zip = try ZipWriter.archive([
            (name: "0_ana_1.wav", bytes: Fixtures.wav(samples: 800)), (name: "0_bob_1.wav", bytes: Fixtures.wav(samples: 1600)),
            (name: "1_ana_1.wav", bytes: Fixtures.wav(samples: 400)),
        ])
        let version = try await server.call(nil, "POST", p + "/datasets/\(audio)/versions/upload?format=audio-folder&filename=digits.zip",
                                            body: Data(zip), contentType: "application/zip")
        #expect(version.status == 201 && version.object["kind"] as? String == "audio" && version.object["rowCount"] as? Int == 3,
                "\(version.text)")
        let classes = ((version.object["summary"] as? [String: Any])?["classes"] as? [[String: Any]])?.map { "\($0["name"]!)=\($0["count"]!)" }
        #expect(classes == ["0=2", "1=1"])

        let text = try await server.call(nil, "POST", p + "/datasets", json: ["name": "notes"]).object["id"] as! Int
        let corpus = try await server.call(nil, "POST", p + "/datasets/\(text)/versions/upload?format=text&filename=notes.txt",
                                           body: Data("the cat sat\non the mat\n".utf8), contentType: "text/plain")
        #expect(corpus.status == 201 && corpus.object["kind"] as? String == "text", "\(corpus.text)")
        #expect((corpus.object["summary"] as? [String: Any])?["tokens"] as? Int == 6)
        let binary = try await server.call(nil, "POST", p + "/datasets/\(text)/versions/upload?format=text&filename=bad.txt",
                                           body: Data([0x66, 0xFF, 0xFE, 0x0A]), contentType: "text/plain")
        #expect(binary.status == 422 && binary.text.contains("bad.txt"), "\(binary.text)")
        try await server.checkAgainstOpenAPI()
    }

    @Test func damagedArtifactsAreRefusedOnRead() async throws {
        let server = try await TestServer(.sqlite)
        defer { server.shutdown() }
        let p = "/api/v1/projects/1"
        let dataset = try await server.call(nil, "POST", p + "/datasets", json: ["name": "fragile"]).object["id"] as! Int
        let version = try await server.call(nil, "POST", p + "/datasets/\(dataset)/versions/upload?format=csv",
                                            body: Data(Fixtures.messyCSV.utf8), contentType: "text/csv")
        let sha = ((version.object["files"] as? [[String: Any]])?.first?["sha256"] as? String)!
        let file = server.process.dataDirectory.appendingPathComponent("artifacts/sha256/\(sha.prefix(2))/\(sha)")
        var bytes = try Data(contentsOf: file)
        bytes[bytes.count / 2] ^= 0x20
        try bytes.write(to: file)
        // Reading it whole (cleaning) is refused with a clear error; a download never completes.
        let clean = try await server.call(nil, "POST", p + "/datasets/\(dataset)/versions/1/clean/preview",
                                          json: ["steps": [["op": "dropDuplicates"]]])
        #expect(clean.status == 503 && clean.code == "artifact_unavailable" && clean.text.contains("corrupt"), "\(clean.text)")
        let download = RawSocket.request(port: server.process.port, method: "GET", path: p + "/datasets/\(dataset)/versions/1/download",
                                         token: server.admin.token)
        #expect(download.status == 503 && String(decoding: download.body, as: UTF8.self).contains("artifact_unavailable"))

        // A large file is streamed; the damage is found at its end and the last chunks are withheld.
        let rows = (0..<60_000).map { "\($0),\($0 % 7),row-\($0)" }.joined(separator: "\n")
        let large = Data(("a,b,c\n" + rows + "\n").utf8)
        let big = try await server.call(nil, "POST", p + "/datasets/\(dataset)/versions/upload?format=csv",
                                        body: large, contentType: "text/csv")
        let bigSHA = ((big.object["files"] as? [[String: Any]])?.first?["sha256"] as? String)!
        let bigFile = server.process.dataDirectory.appendingPathComponent("artifacts/sha256/\(bigSHA.prefix(2))/\(bigSHA)")
        var bigBytes = try Data(contentsOf: bigFile)
        bigBytes[bigBytes.count - 10] ^= 0x01
        try bigBytes.write(to: bigFile)
        let cut = RawSocket.request(port: server.process.port, method: "GET", path: p + "/datasets/\(dataset)/versions/2/download",
                                    token: server.admin.token)
        #expect(cut.status == 200 && cut.body.count < large.count, "a corrupt file was served whole (\(cut.body.count) bytes)")
    }
}

extension Fixtures {
    /// A mono 16-bit PCM WAV file at 8 kHz.
    static func wav(samples: Int) -> [UInt8] {
        func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }
        func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
        let data = (0..<samples).flatMap { le16(UInt16(bitPattern: Int16(sin(Double($0) / 5) * 8000))) }
        return Array("RIFF".utf8) + le32(UInt32(36 + data.count)) + Array("WAVEfmt ".utf8) + le32(16) + le16(1) + le16(1)
            + le32(8000) + le32(16000) + le16(2) + le16(16) + Array("data".utf8) + le32(UInt32(data.count)) + data
    }
}
