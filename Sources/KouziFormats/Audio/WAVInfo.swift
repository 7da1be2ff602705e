/// The header of a RIFF/WAVE file: encoding, channels, sample rate, and where the samples are.
///
/// Supports integer PCM of 8 (unsigned), 16, 24 and 32 bits, and 32- and 64-bit IEEE float, in plain
/// or `WAVE_FORMAT_EXTENSIBLE` headers. Unknown chunks are skipped, honouring the pad byte after
/// odd-sized chunks.
///
/// ```swift
/// let info = try WAVInfo.parse(bytes, source: "7_jackson_32.wav")
/// print(info.sampleRate, info.duration)          // 8000 0.431
/// let mono = try WAVInfo.decode(bytes, mixToMono: true).samples
/// ```
public struct WAVInfo: Sendable, Codable, Equatable, Hashable {
    /// How samples are encoded.
    public enum Encoding: String, Sendable, Codable, Hashable {
        /// Integer PCM (unsigned for 8 bits, signed two's complement otherwise).
        case pcm
        /// IEEE floating point.
        case float
    }

    /// The sample encoding.
    public var encoding: Encoding
    /// The number of interleaved channels.
    public var channels: Int
    /// Frames per second.
    public var sampleRate: Int
    /// Bits in each sample.
    public var bitsPerSample: Int
    /// The number of frames (samples per channel).
    public var frameCount: Int
    /// Where the sample data starts in the file.
    public var dataOffset: Int
    /// The length of the sample data in bytes.
    public var dataByteCount: Int

    /// Bytes per frame (all channels of one instant).
    public var blockAlign: Int { channels * bitsPerSample / 8 }

    /// The duration in seconds.
    public var duration: Double { sampleRate > 0 ? Double(frameCount) / Double(sampleRate) : 0 }

    /// Parses the header of `bytes` without decoding samples.
    ///
    /// - Parameter source: the file's name in error messages.
    /// - Throws: ``WAVError`` for a missing or malformed header or chunk, or an unsupported encoding.
    public static func parse(_ bytes: [UInt8], source: String = "<bytes>") throws(WAVError) -> WAVInfo {
        guard bytes.matches("RIFF", at: 0), bytes.matches("WAVE", at: 8) else { throw WAVError.notWAV(source: source) }
        var format: (encoding: Encoding, channels: Int, rate: Int, bits: Int)?
        var offset = 12
        while offset < bytes.count {
            guard offset + 8 <= bytes.count else {
                throw WAVError.truncated(source: source, chunk: "header", offset: offset, needed: 8, available: bytes.count - offset)
            }
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let size = Int(bytes.le32(offset + 4)!)
            let body = offset + 8
            if id == "data" {
                guard let format else { throw WAVError.missingFormat(source: source) }
                guard size <= bytes.count - body else {
                    throw WAVError.truncated(source: source, chunk: id, offset: offset, needed: size, available: bytes.count - body)
                }
                let frameBytes = format.channels * format.bits / 8
                return WAVInfo(encoding: format.encoding, channels: format.channels, sampleRate: format.rate,
                               bitsPerSample: format.bits, frameCount: size / frameBytes, dataOffset: body,
                               dataByteCount: size - size % frameBytes)
            }
            guard size <= bytes.count - body else {
                throw WAVError.truncated(source: source, chunk: id, offset: offset, needed: size, available: bytes.count - body)
            }
            if id == "fmt " { format = try parseFormat(bytes, at: body, size: size, source: source) }
            offset = body + size + (size & 1)
        }
        throw format == nil ? WAVError.missingFormat(source: source) : WAVError.missingData(source: source)
    }

    private static func parseFormat(_ b: [UInt8], at o: Int, size: Int,
                                    source: String) throws(WAVError) -> (Encoding, Int, Int, Int) {
        guard size >= 16 else { throw WAVError.malformed(source: source, offset: o, reason: "\(size) bytes, fewer than 16") }
        var tag = b.le16(o)!
        let channels = Int(b.le16(o + 2)!), rate = Int(b.le32(o + 4)!)
        let align = Int(b.le16(o + 12)!), bits = Int(b.le16(o + 14)!)
        if tag == 0xFFFE {
            guard size >= 40 else {
                throw WAVError.malformed(source: source, offset: o, reason: "WAVE_FORMAT_EXTENSIBLE needs 40 bytes, has \(size)")
            }
            tag = b.le16(o + 24)!
        }
        let encoding: Encoding
        switch (tag, bits) {
        case (1, 8), (1, 16), (1, 24), (1, 32): encoding = .pcm
        case (3, 32), (3, 64): encoding = .float
        default:
            throw WAVError.unsupportedFormat(source: source, reason: "format tag \(tag) with \(bits) bits per sample")
        }
        guard channels > 0 else { throw WAVError.malformed(source: source, offset: o, reason: "0 channels") }
        guard rate > 0 else { throw WAVError.malformed(source: source, offset: o, reason: "sample rate 0") }
        guard align == channels * bits / 8 else {
            throw WAVError.malformed(source: source, offset: o,
                                     reason: "block align \(align) is not \(channels) channels × \(bits / 8) bytes")
        }
        return (encoding, channels, rate, bits)
    }
}
