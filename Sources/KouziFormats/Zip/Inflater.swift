import CZlib

/// Streaming raw-deflate decompression (zlib with `windowBits` -15, as ZIP stores deflate data).
///
/// The `z_stream` lives at a fixed heap address because zlib keeps a pointer back to it.
final class Inflater {
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private let archive: String
    private let entry: String
    private var output = [UInt8](repeating: 0, count: 1 << 16)

    /// Starts a stream; `archive` and `entry` name the data in errors.
    init(archive: String, entry: String) throws(ZipError) {
        self.archive = archive
        self.entry = entry
        stream.initialize(to: z_stream())
        let status = inflateInit2_(stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            throw ZipError.corruptData(archive: archive, entry: entry, reason: "inflateInit2 failed with status \(status)")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// Decompresses `input`, handing each produced piece to `body`; returns true at the end of the stream.
    func feed(_ input: [UInt8], _ body: ([UInt8]) throws -> Void) throws -> Bool {
        var input = input
        let inputCount = input.count
        return try input.withUnsafeMutableBufferPointer { inp -> Bool in
            stream.pointee.next_in = inp.baseAddress
            stream.pointee.avail_in = UInt32(inputCount)
            while true {
                let capacity = output.count
                let status: Int32 = output.withUnsafeMutableBufferPointer { out in
                    stream.pointee.next_out = out.baseAddress
                    stream.pointee.avail_out = UInt32(capacity)
                    return inflate(stream, Z_NO_FLUSH)
                }
                let produced = capacity - Int(stream.pointee.avail_out)
                if produced > 0 { try body(Array(output[0..<produced])) }
                switch status {
                case Z_STREAM_END:
                    return true
                case Z_OK:
                    if stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { return false }
                case Z_BUF_ERROR:
                    if stream.pointee.avail_in == 0 { return false }
                    throw ZipError.corruptData(archive: archive, entry: entry, reason: "inflate made no progress")
                default:
                    let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    throw ZipError.corruptData(archive: archive, entry: entry, reason: reason)
                }
            }
        }
    }
}
