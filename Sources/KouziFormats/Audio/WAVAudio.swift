/// Decoded WAV samples as floats in [-1, 1].
public struct WAVAudio: Sendable, Equatable {
    /// The header the samples were decoded from.
    public var info: WAVInfo
    /// The samples: interleaved frames, or one value per frame after mixing down to mono.
    public var samples: [Float]
    /// The number of channels in ``samples`` (1 after mixing down).
    public var channels: Int
}

extension WAVInfo {
    /// Decodes the samples of a WAV file to floats in [-1, 1].
    ///
    /// Integers are divided by 2^(bits-1) (8-bit audio is unsigned and is centred first); float samples
    /// are clamped to [-1, 1].
    ///
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - mixToMono: average the channels of each frame.
    ///   - source: the file's name in error messages.
    /// - Throws: ``WAVError`` as ``parse(_:source:)`` does.
    /// - Complexity: O(samples).
    public static func decode(_ bytes: [UInt8], mixToMono: Bool = false, source: String = "<bytes>") throws(WAVError) -> WAVAudio {
        let info = try parse(bytes, source: source)
        let n = info.frameCount * info.channels
        let width = info.bitsPerSample / 8
        var samples = [Float](repeating: 0, count: n)
        bytes.withUnsafeBufferPointer { all in
            let p = all.baseAddress! + info.dataOffset
            switch (info.encoding, width) {
            case (.pcm, 1):
                for i in 0..<n { samples[i] = (Float(p[i]) - 128) / 128 }
            case (.pcm, 2):
                for i in 0..<n { samples[i] = Float(Int16(bitPattern: UInt16(p[2 * i]) | UInt16(p[2 * i + 1]) << 8)) / 32_768 }
            case (.pcm, 3):
                for i in 0..<n {
                    let raw = Int32(p[3 * i]) << 8 | Int32(p[3 * i + 1]) << 16 | Int32(p[3 * i + 2]) << 24
                    samples[i] = Float(raw >> 8) / 8_388_608
                }
            case (.pcm, _):
                for i in 0..<n { samples[i] = Float(Double(Int32(bitPattern: word(p + 4 * i))) / 2_147_483_648) }
            case (.float, 4):
                for i in 0..<n { samples[i] = min(1, max(-1, Float(bitPattern: word(p + 4 * i)))) }
            case (.float, _):
                for i in 0..<n {
                    let bits = UInt64(word(p + 8 * i)) | UInt64(word(p + 8 * i + 4)) << 32
                    samples[i] = Float(min(1, max(-1, Double(bitPattern: bits))))
                }
            }
        }
        guard mixToMono, info.channels > 1 else { return WAVAudio(info: info, samples: samples, channels: info.channels) }
        let c = info.channels
        var mono = [Float](repeating: 0, count: info.frameCount)
        for frame in 0..<info.frameCount {
            var sum: Float = 0
            for channel in 0..<c { sum += samples[frame * c + channel] }
            mono[frame] = sum / Float(c)
        }
        return WAVAudio(info: info, samples: mono, channels: 1)
    }

    @inline(__always)
    private static func word(_ p: UnsafePointer<UInt8>) -> UInt32 {
        UInt32(p[0]) | UInt32(p[1]) << 8 | UInt32(p[2]) << 16 | UInt32(p[3]) << 24
    }
}
