import Foundation
import Testing
@testable import KouziFormats

@Suite("ZIP safety")
struct ZipSafetyTests {
    static let traversalNames: [(String, String)] = [
        ("../evil.txt", "it contains a '..' component"),
        ("a/../../evil.txt", "it contains a '..' component"),
        ("/etc/passwd", "it is an absolute path"),
        ("..\\evil.txt", "it contains a backslash"),
        ("a\\..\\..\\evil.txt", "it contains a backslash"),
        ("C:/Windows/evil.dll", "it starts with a drive letter"),
        ("c:evil", "it starts with a drive letter"),
        ("a/\u{1}b", "it contains a control character"),
        ("./", "it names no file"),
    ]

    @Test(arguments: traversalNames)
    func unsafeNamesAreRejectedNamingTheEntry(name: String, reason: String) throws {
        let bytes = Fixtures.rawZip([.init(name: "ok.txt", data: [1]), .init(name: name, data: [2])])
        #expect(throws: ZipError.unsafePath(archive: "up.zip", entry: name, reason: reason)) {
            _ = try ZipArchive(bytes: bytes, name: "up.zip")
        }
    }

    @Test func namesAreNormalised() throws {
        #expect(try ZipPath.normalize("a/./b//c.txt").get() == "a/b/c.txt")
        #expect(try ZipPath.normalize("dir/").get() == "dir")
        #expect(try ZipPath.normalize("..hidden/x..y").get() == "..hidden/x..y")
    }

    @Test func symbolicLinksAreRejected() throws {
        let bytes = Fixtures.rawZip([.init(name: "link", data: Array("/etc/passwd".utf8), externalAttributes: 0o120777 << 16)])
        #expect(throws: ZipError.symbolicLink(archive: "up.zip", entry: "link")) { _ = try ZipArchive(bytes: bytes, name: "up.zip") }
    }

    @Test func encryptedEntriesAreRejected() throws {
        let bytes = Fixtures.rawZip([.init(name: "secret.txt", data: [1, 2, 3], flags: 1)])
        #expect(throws: ZipError.encrypted(archive: "up.zip", entry: "secret.txt")) { _ = try ZipArchive(bytes: bytes, name: "up.zip") }
    }

    @Test func duplicateAndMismatchedNamesAreRejected() throws {
        let duplicate = Fixtures.rawZip([.init(name: "a.txt", data: [1]), .init(name: "a.txt", data: [2])])
        #expect(throws: ZipError.duplicateEntry(archive: "<bytes>", entry: "a.txt")) { _ = try ZipArchive(bytes: duplicate) }
        let mismatch = Fixtures.rawZip([.init(name: "a.txt", data: [1], localName: "../b")])
        let archive = try ZipArchive(bytes: mismatch)
        #expect(throws: ZipError.nameMismatch(archive: "<bytes>", entry: "a.txt", localName: "../b")) {
            _ = try archive.contents(ofEntryNamed: "a.txt")
        }
    }

    @Test func bombLimitsAreEnforced() throws {
        let zeros = [UInt8](repeating: 0, count: 4 << 20)
        let bomb = try ZipWriter.archive([("zeros.bin", zeros)])
        let message = Fixtures.errorMessage { _ = try ZipArchive(bytes: bomb, name: "bomb.zip") }
        #expect(message?.hasPrefix("bomb.zip: entry 'zeros.bin' has a compression ratio of") == true)
        #expect(try ZipArchive(bytes: bomb, limits: .unlimited).files.count == 1)

        var limits = ZipLimits.unlimited
        limits.maxEntries = 2
        let three = try ZipWriter.archive([("a", [1]), ("b", [2]), ("c", [3])])
        #expect(throws: ZipError.tooManyEntries(archive: "<bytes>", count: 3, limit: 2)) { _ = try ZipArchive(bytes: three, limits: limits) }

        limits = .unlimited
        limits.maxTotalUncompressedBytes = 100
        let big = try ZipWriter.archive([("a", [UInt8](repeating: 1, count: 60)), ("b", [UInt8](repeating: 2, count: 60))])
        #expect(throws: ZipError.totalSizeLimit(archive: "<bytes>", totalBytes: 120, limit: 100)) { _ = try ZipArchive(bytes: big, limits: limits) }

        limits = .unlimited
        limits.maxEntryUncompressedBytes = 50
        #expect(throws: ZipError.entrySizeLimit(archive: "<bytes>", entry: "a", bytes: 60, limit: 50)) { _ = try ZipArchive(bytes: big, limits: limits) }
    }

    @Test func inflatingPastTheDeclaredSizeStops() throws {
        // A deflated entry whose central directory under-declares the uncompressed size.
        var bytes = try ZipWriter.archive([("a.txt", [UInt8](repeating: 65, count: 1000))])
        let eocd = bytes.count - 22
        let cd = Int(bytes.le32(eocd + 16)!)
        bytes.replaceSubrange(cd + 24..<cd + 28, with: Fixtures.le32(10))
        let archive = try ZipArchive(bytes: bytes, name: "liar.zip")
        let message = Fixtures.errorMessage { _ = try archive.contents(ofEntryNamed: "a.txt") }
        #expect(message?.hasPrefix("liar.zip: entry 'a.txt' expands to") == true)
        #expect(message?.contains("more than the declared 10") == true)
    }

    @Test func overlappingEntriesAreRejected() throws {
        var bytes = Fixtures.rawZip([.init(name: "a", data: [UInt8](repeating: 7, count: 100)), .init(name: "b", data: [1])])
        // Point the second central record at the first local header.
        let eocd = bytes.count - 22
        let cd = Int(bytes.le32(eocd + 16)!)
        let second = cd + 46 + 1
        bytes.replaceSubrange(second + 42..<second + 46, with: Fixtures.le32(0))
        #expect(throws: ZipError.overlappingEntries(archive: "<bytes>", entry: "a", other: "b")) { _ = try ZipArchive(bytes: bytes) }
    }

    @Test func truncatedAndBitFlippedArchivesThrowWithoutCrashing() throws {
        var files: [(name: String, bytes: [UInt8])] = []
        for i in 0..<4 { files.append(("dir/f\(i).txt", Array(String(repeating: "line \(i)\n", count: 40).utf8))) }
        let writer = ZipWriter()
        for (i, file) in files.enumerated() { try writer.addFile(named: file.name, bytes: file.bytes, method: i % 2 == 0 ? .deflate : .stored) }
        let valid = try writer.finishedBytes()
        func exercise(_ bytes: [UInt8]) -> Bool {
            do {
                let archive = try ZipArchive(bytes: bytes)
                for entry in archive.entries { _ = try archive.contents(of: entry) }
                return true
            } catch {
                #expect(!"\(error)".isEmpty)
                return false
            }
        }
        #expect(exercise(valid))
        var truncatedOK = 0
        for length in 0..<valid.count where exercise(Array(valid[..<length])) { truncatedOK += 1 }
        #expect(truncatedOK == 0)
        var flipsSucceeded = 0
        for offset in 0..<valid.count {
            for bit in [0, 3, 7] {
                var bytes = valid
                bytes[offset] ^= UInt8(1 << bit)
                if exercise(bytes) { flipsSucceeded += 1 }
            }
        }
        // Flips in timestamps, attributes and the like are harmless; data flips must all be caught by CRC.
        #expect(flipsSucceeded < valid.count * 3)
        // Random multi-byte corruption with extreme values, from a fixed seed.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        for _ in 0..<2000 {
            var bytes = valid
            for _ in 0..<(1 + next() % 4) { bytes[next() % bytes.count] = [0x00, 0xFF, 0x7F, 0x80][next() % 4] }
            _ = exercise(bytes)
        }
    }
}
