import CZlib

/// Streaming raw-deflate compression (zlib with `windowBits` -15, as ZIP stores deflate data).
///
/// The `z_stream` lives at a fixed heap address because zlib keeps a pointer back to it.
final class Deflater {
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var output = [UInt8](repeating: 0, count: 1 << 16)

    /// Starts a stream at `level` (0–9, or -1 for zlib's default).
    init(level: Int32) throws(ZipError) {
        stream.initialize(to: z_stream())
        let status = deflateInit2_(stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                                   Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            throw ZipError.writeFailed(archive: "<deflate>", reason: "deflateInit2 failed with status \(status)")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    /// Compresses `input` (with `finish`, also flushes the end of the stream), handing output to `body`.
    func feed(_ input: [UInt8], finish: Bool, _ body: ([UInt8]) throws -> Void) throws {
        var input = input
        let inputCount = input.count
        try input.withUnsafeMutableBufferPointer { inp in
            stream.pointee.next_in = inp.baseAddress
            stream.pointee.avail_in = UInt32(inputCount)
            while true {
                let capacity = output.count
                let status: Int32 = output.withUnsafeMutableBufferPointer { out in
                    stream.pointee.next_out = out.baseAddress
                    stream.pointee.avail_out = UInt32(capacity)
                    return deflate(stream, finish ? Z_FINISH : Z_NO_FLUSH)
                }
                let produced = capacity - Int(stream.pointee.avail_out)
                if produced > 0 { try body(Array(output[0..<produced])) }
                if status == Z_STREAM_END { return }
                guard status == Z_OK || status == Z_BUF_ERROR else {
                    throw ZipError.writeFailed(archive: "<deflate>", reason: "deflate failed with status \(status)")
                }
                if !finish && stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { return }
            }
        }
    }
}
