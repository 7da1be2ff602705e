import Foundation
import Testing
@testable import KouziFormats

@Suite("ZIP reading and writing")
struct ZipArchiveTests {
    @Test func writerRoundTripsStoredAndDeflatedEntries() throws {
        let text = Array(String(repeating: "hello zip ", count: 500).utf8)
        let binary = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        let writer = ZipWriter()
        try writer.addDirectory(named: "docs")
        try writer.addFile(named: "docs/a.txt", bytes: text, method: .deflate)
        try writer.addFile(named: "b.bin", bytes: binary, method: .stored)
        try writer.addFile(named: "empty.txt", bytes: [], method: .deflate)
        let archive = try ZipArchive(bytes: try writer.finishedBytes())
        #expect(archive.entries.map(\.path) == ["docs", "docs/a.txt", "b.bin", "empty.txt"])
        #expect(archive.entries[0].isDirectory)
        #expect(archive.files.count == 3)
        let a = try #require(archive.entry(named: "docs/a.txt"))
        #expect(a.method == .deflate && a.compressedSize < a.uncompressedSize)
        #expect(try archive.contents(of: a) == text)
        #expect(try archive.contents(ofEntryNamed: "b.bin") == binary)
        #expect(try archive.contents(ofEntryNamed: "empty.txt") == [])
        #expect(archive.totalUncompressedSize == UInt64(text.count + binary.count))
    }

    @Test func fileBackedArchiveStreamsInChunks() throws {
        let dir = try Fixtures.temporaryDirectory()
        let path = dir + "/big.zip"
        let writer = try ZipWriter(path: path)
        let payload = (0..<300_000).map { UInt8($0 % 251) }
        try writer.addFile(named: "data.bin") { write in
            for start in stride(from: 0, to: payload.count, by: 10_000) { try write(Array(payload[start..<start + 10_000])) }
        }
        try writer.finish()
        let archive = try ZipArchive(path: path)
        var pieces = 0
        var joined: [UInt8] = []
        try archive.extract(archive.entries[0]) { piece in
            pieces += 1
            joined += piece
            #expect(piece.count <= ZipArchive.chunkSize)
        }
        #expect(pieces > 1 && joined == payload)
        try archive.extract(archive.entries[0], toFile: dir + "/out.bin")
        #expect(try ByteSource(path: dir + "/out.bin").readAll() == payload)
    }

    @Test func macOSClutterIsIgnored() throws {
        let bytes = try ZipWriter.archive([("__MACOSX/._a.png", [1]), ("cats/.DS_Store", [2]), ("cats/a.txt", [3])])
        let archive = try ZipArchive(bytes: bytes)
        #expect(archive.entries.map(\.path) == ["cats/a.txt"])
        #expect(archive.ignoredEntryCount == 2)
    }

    @Test func corruptedDataFailsTheCRCCheck() throws {
        var bytes = Fixtures.rawZip([.init(name: "a.txt", data: Array("abcdef".utf8))])
        bytes[30 + 5 + 2] ^= 0x01            // a byte of the data
        let archive = try ZipArchive(bytes: bytes, name: "t.zip")
        let message = Fixtures.errorMessage { _ = try archive.contents(ofEntryNamed: "a.txt") }
        #expect(message?.contains("t.zip: entry 'a.txt' fails its CRC-32 check") == true)
    }

    @Test func missingEntryAndNonZipInputHavePreciseErrors() throws {
        let archive = try ZipArchive(bytes: try ZipWriter.archive([("a", [1])]), name: "x.zip")
        #expect(throws: ZipError.entryNotFound(archive: "x.zip", entry: "b")) { _ = try archive.contents(ofEntryNamed: "b") }
        #expect(throws: ZipError.self) { _ = try ZipArchive(bytes: Array("not a zip at all, just some text".utf8)) }
        #expect(throws: ZipError.unreadable(archive: "/nonexistent/x.zip", reason: "No such file or directory")) {
            _ = try ZipArchive(path: "/nonexistent/x.zip")
        }
    }

    @Test func writerRejectsUnsafeAndDuplicateNames() throws {
        let writer = ZipWriter()
        #expect(throws: ZipError.self) { try writer.addFile(named: "../x", bytes: []) }
        try writer.addFile(named: "a.txt", bytes: [])
        #expect(throws: ZipError.writeFailed(archive: "<memory>", reason: "duplicate entry name 'a.txt'")) {
            try writer.addFile(named: "a.txt", bytes: [])
        }
    }

    @Test func zip64EndRecordsAreFollowed() throws {
        // Rewrite a small archive's end record to point through a ZIP64 locator and record.
        let plain = try ZipWriter.archive([("a.txt", Array("zip64".utf8)), ("b.txt", Array("ok".utf8))])
        let eocd = plain.count - 22
        let cdSize = Int(plain.le32(eocd + 12)!), cdOffset = Int(plain.le32(eocd + 16)!)
        var bytes = Array(plain[..<eocd])
        let recordOffset = bytes.count
        bytes += Fixtures.le32(0x0606_4B50) + Fixtures.le32(44) + [0, 0, 0, 0] + Fixtures.le16(45) + Fixtures.le16(45)
        bytes += Fixtures.le32(0) + Fixtures.le32(0)
        bytes += Fixtures.le32(2) + Fixtures.le32(0) + Fixtures.le32(2) + Fixtures.le32(0)
        bytes += Fixtures.le32(cdSize) + Fixtures.le32(0) + Fixtures.le32(cdOffset) + Fixtures.le32(0)
        bytes += Fixtures.le32(0x0706_4B50) + Fixtures.le32(0) + Fixtures.le32(recordOffset) + Fixtures.le32(0) + Fixtures.le32(1)
        bytes += Fixtures.le32(0x0605_4B50) + [0, 0, 0, 0] + [0xFF, 0xFF, 0xFF, 0xFF]
        bytes += [0xFF, 0xFF, 0xFF, 0xFF] + [0xFF, 0xFF, 0xFF, 0xFF] + [0, 0]
        let archive = try ZipArchive(bytes: bytes)
        #expect(archive.entries.map(\.path) == ["a.txt", "b.txt"])
        #expect(try archive.contents(ofEntryNamed: "a.txt") == Array("zip64".utf8))
    }
}
