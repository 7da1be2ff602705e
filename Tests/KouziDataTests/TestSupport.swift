import CZlib
import Foundation
import KouziTestSupport
import KouziData
import KouziTensor

/// Helpers shared by the data tests.
enum TestSupport {
    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kouzi-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Gzip-compresses `bytes` with zlib (windowBits 31 selects the gzip wrapper).
    static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        let status = deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK)
        defer { deflateEnd(&stream) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
        let produced: Int = input.withUnsafeMutableBufferPointer { inp in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = inp.baseAddress
                stream.avail_in = UInt32(inp.count)
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                let result = deflate(&stream, Z_FINISH)
                precondition(result == Z_STREAM_END)
                return out.count - Int(stream.avail_out)
            }
        }
        return Array(output[0..<produced])
    }

    /// IDX bytes: magic `00 00 type rank`, big-endian dimensions, then `payload`.
    static func idx(type: UInt8, shape: [Int], payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, type, UInt8(shape.count)]
        for dim in shape {
            bytes += [UInt8(dim >> 24 & 0xFF), UInt8(dim >> 16 & 0xFF), UInt8(dim >> 8 & 0xFF), UInt8(dim & 0xFF)]
        }
        return bytes + payload
    }

    /// The message of the error thrown by `body`, or nil when it does not throw.
    static func errorMessage(_ body: () throws -> Void) -> String? {
        do { try body() } catch { return "\(error)" }
        return nil
    }

    /// Whether `python3` can import `safetensors.numpy`.
    static let pythonHasSafetensors: Bool = {
        (try? runPython("import safetensors.numpy, numpy").status) == 0
    }()

    /// Runs `python3 -c script`, returning the exit status and standard output.
    static func runPython(_ script: String) throws -> (status: Int32, output: String) {
        try KouziTestSupport.runPython(["-c", script])
    }

    /// Asserts-free comparison helper: whether two float arrays agree within `tolerance`.
    static func close(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
    }
}
