import Testing
@testable import KouziFormats

@Suite("WAV")
struct WAVTests {
    @Test func pcm16MonoHeaderAndSamples() throws {
        let bytes = Fixtures.wav(samples: [0, 16384, -32768, 32767], rate: 8000)
        let info = try WAVInfo.parse(bytes)
        #expect(info.encoding == .pcm && info.bitsPerSample == 16 && info.channels == 1 && info.sampleRate == 8000)
        #expect(info.frameCount == 4)
        #expect(info.duration == 4.0 / 8000)
        let audio = try WAVInfo.decode(bytes)
        #expect(audio.samples == [0, 0.5, -1, Float(32767) / 32768])
    }

    @Test(arguments: [8, 24, 32])
    func otherIntegerWidthsDecodeToUnitRange(bits: Int) throws {
        let full = bits == 8 ? 127 : (1 << (bits - 1)) - 1
        let bytes = Fixtures.wav(samples: [0, -full - 1, full], bits: bits)
        let audio = try WAVInfo.decode(bytes)
        #expect(audio.info.bitsPerSample == bits)
        #expect(audio.samples[0] == 0 && audio.samples[1] == -1)
        #expect(abs(audio.samples[2] - 1) < 0.01)
    }

    @Test func float32StereoMixesDownToMono() throws {
        let bytes = Fixtures.wav(samples: [16384, -16384, 32767, 32767], channels: 2, bits: 32, float: true)
        let stereo = try WAVInfo.decode(bytes)
        #expect(stereo.info.encoding == .float && stereo.channels == 2 && stereo.samples.count == 4)
        let mono = try WAVInfo.decode(bytes, mixToMono: true)
        #expect(mono.channels == 1 && mono.samples.count == 2)
        #expect(mono.samples[0] == 0)
        #expect(abs(mono.samples[1] - 1) < 0.001)
    }

    @Test func unknownOddSizedChunksAreSkippedWithPadding() throws {
        let bytes = Fixtures.wav(samples: [100, 200], extraChunk: ("LIST", [1, 2, 3]))
        let info = try WAVInfo.parse(bytes)
        #expect(info.frameCount == 2)
        #expect(try WAVInfo.decode(bytes).samples == [100.0 / 32768, 200.0 / 32768])
    }

    @Test func malformedFilesHavePreciseErrors() throws {
        let good = Fixtures.wav(samples: [1, 2, 3, 4])
        #expect(throws: WAVError.notWAV(source: "x.wav")) { _ = try WAVInfo.parse(Array("RIFX".utf8) + good.dropFirst(4), source: "x.wav") }
        #expect(throws: WAVError.truncated(source: "x.wav", chunk: "data", offset: 36, needed: 8, available: 6)) {
            _ = try WAVInfo.parse(Array(good.dropLast(2)), source: "x.wav")
        }
        var noFormat = good
        noFormat.replaceSubrange(12..<16, with: Array("junk".utf8))
        #expect(throws: WAVError.missingFormat(source: "x.wav")) { _ = try WAVInfo.parse(noFormat, source: "x.wav") }
        var adpcm = good
        adpcm[20] = 2
        #expect(throws: WAVError.unsupportedFormat(source: "x.wav", reason: "format tag 2 with 16 bits per sample")) {
            _ = try WAVInfo.parse(adpcm, source: "x.wav")
        }
        for length in 0..<good.count { #expect(throws: WAVError.self) { _ = try WAVInfo.parse(Array(good[..<length])) } }
    }
}
