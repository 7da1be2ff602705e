import CZlib
import Foundation
import KouziFormats

/// Builders for small test files: WAV, image headers, and hand-made (possibly malicious) ZIP archives.
enum Fixtures {
    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kouzi-formats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// The message of the error `body` throws, or nil.
    static func errorMessage(_ body: () throws -> Void) -> String? {
        do { try body() } catch { return "\(error)" }
        return nil
    }

    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    static func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16(v >> 16 & 0xFFFF) }
    static func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    /// A WAV file with 16-bit PCM samples (or another integer width / float) and optional extra chunks.
    static func wav(samples: [Int], channels: Int = 1, rate: Int = 8000, bits: Int = 16, float: Bool = false,
                    extraChunk: (id: String, body: [UInt8])? = nil) -> [UInt8] {
        var data: [UInt8] = []
        for s in samples {
            if float {
                data += le32(Int((Float(s) / 32768).bitPattern))
            } else {
                switch bits {
                case 8: data.append(UInt8(s + 128))
                case 16: data += le16(s & 0xFFFF)
                case 24: data += [UInt8(s & 0xFF), UInt8(s >> 8 & 0xFF), UInt8(s >> 16 & 0xFF)]
                default: data += le32(s & 0xFFFF_FFFF)
                }
            }
        }
        let tag = float ? 3 : 1
        var fmt = le16(tag) + le16(channels) + le32(rate)
        fmt += le32(rate * channels * bits / 8) + le16(channels * bits / 8) + le16(bits)
        var body = Array("WAVE".utf8) + Array("fmt ".utf8) + le32(fmt.count) + fmt
        if let extra = extraChunk {
            body += Array(extra.id.utf8) + le32(extra.body.count) + extra.body
            if extra.body.count % 2 == 1 { body.append(0) }
        }
        body += Array("data".utf8) + le32(data.count) + data
        return Array("RIFF".utf8) + le32(body.count) + body
    }

    /// A minimal PNG: signature, IHDR, an empty IDAT and IEND (headers only; pixels are not needed).
    static func png(width: Int, height: Int, colorType: UInt8 = 2) -> [UInt8] {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        func chunk(_ type: String, _ body: [UInt8]) {
            let typed = Array(type.utf8) + body
            bytes += be32(body.count) + typed + be32(Int(CRC32.checksum(typed)))
        }
        chunk("IHDR", be32(width) + be32(height) + [8, colorType, 0, 0, 0])
        chunk("IEND", [])
        return bytes
    }

    /// A JPEG header: SOI, an APP0 segment, then SOF0 with the given size and components.
    static func jpeg(width: Int, height: Int, components: UInt8 = 3) -> [UInt8] {
        var bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF\0".utf8) + [1, 1, 0, 0, 1, 0, 1, 0, 0]
        bytes += [0xFF, 0xFF, 0xC0, 0x00, UInt8(8 + 3 * Int(components)), 8]     // a fill byte before SOF0
        bytes += [UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF), components]
        for c in 0..<components { bytes += [c + 1, 0x11, 0] }
        return bytes + [0xFF, 0xD9]
    }

    /// A ZIP entry for ``rawZip(_:)``, with every field a malicious archive might abuse.
    struct RawEntry {
        var name: String
        var data: [UInt8]
        var flags: UInt16 = 0
        var versionMadeBy: Int = 3 << 8 | 20
        var externalAttributes: Int = 0o100644 << 16
        var declaredSize: Int?
        var localName: String?
    }

    /// A stored-method archive built byte by byte, bypassing ``ZipWriter``'s name checks.
    static func rawZip(_ entries: [RawEntry]) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        for e in entries {
            let offset = out.count
            let name = Array(e.name.utf8), local = Array((e.localName ?? e.name).utf8)
            let crc = Int(CRC32.checksum(e.data))
            let size = e.declaredSize ?? e.data.count
            out += le32(0x0403_4B50) + le16(20) + le16(Int(e.flags)) + le16(0) + le16(0) + le16(0x21)
            out += le32(crc) + le32(e.data.count) + le32(size) + le16(local.count) + le16(0) + local + e.data
            central += le32(0x0201_4B50) + le16(e.versionMadeBy) + le16(20) + le16(Int(e.flags)) + le16(0) + le16(0) + le16(0x21)
            central += le32(crc) + le32(e.data.count) + le32(size) + le16(name.count) + le16(0) + le16(0) + le16(0) + le16(0)
            central += le32(e.externalAttributes) + le32(offset) + name
        }
        let start = out.count
        out += central
        out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(entries.count) + le16(entries.count)
        out += le32(central.count) + le32(start) + le16(0)
        return out
    }

    /// Whether `python3` runs.
    static let hasPython: Bool = { (try? runPython("print(1)").status) == 0 }()

    /// Runs `python3 -c script`, returning the exit status and combined output.
    static func runPython(_ script: String, arguments: [String] = []) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
