import Testing
import KouziFormats

@Suite("Image headers")
struct ImageInfoTests {
    @Test func pngColourTypesGiveChannels() throws {
        #expect(try ImageInfo.sniff(Fixtures.png(width: 32, height: 16)) == ImageInfo(format: .png, width: 32, height: 16, channels: 3))
        #expect(try ImageInfo.sniff(Fixtures.png(width: 5, height: 7, colorType: 0)).channels == 1)
        #expect(try ImageInfo.sniff(Fixtures.png(width: 5, height: 7, colorType: 6)).channels == 4)
    }

    @Test func jpegStartOfFrameIsFound() throws {
        #expect(try ImageInfo.sniff(Fixtures.jpeg(width: 640, height: 480)) == ImageInfo(format: .jpeg, width: 640, height: 480, channels: 3))
        #expect(try ImageInfo.sniff(Fixtures.jpeg(width: 3, height: 2, components: 1)).channels == 1)
    }

    @Test func gifBmpAndNetpbm() throws {
        let gif = Array("GIF89a".utf8) + [10, 0, 20, 0, 0, 0, 0]
        #expect(try ImageInfo.sniff(gif) == ImageInfo(format: .gif, width: 10, height: 20, channels: 3))
        var bmp = Array("BM".utf8) + [UInt8](repeating: 0, count: 12) + Fixtures.le32(40)
        bmp += Fixtures.le32(7) + Fixtures.le32(-9 & 0xFFFF_FFFF) + Fixtures.le16(1) + Fixtures.le16(24) + [UInt8](repeating: 0, count: 24)
        #expect(try ImageInfo.sniff(bmp) == ImageInfo(format: .bmp, width: 7, height: 9, channels: 3))
        let pgm = Array("P5\n# a comment\n28 28\n255\n".utf8) + [UInt8](repeating: 0, count: 784)
        #expect(try ImageInfo.sniff(pgm) == ImageInfo(format: .pgm, width: 28, height: 28, channels: 1))
        let ppm = Array("P6 4 3 65535 ".utf8)
        #expect(try ImageInfo.sniff(ppm) == ImageInfo(format: .ppm, width: 4, height: 3, channels: 3))
    }

    @Test func unknownAndBrokenHeadersThrow() throws {
        #expect(throws: ImageHeaderError.unrecognized(source: "a.txt")) { _ = try ImageInfo.sniff(Array("hello".utf8), source: "a.txt") }
        let png = Fixtures.png(width: 1, height: 1)
        #expect(throws: ImageHeaderError.truncated(source: "a.png", format: .png, offset: 20)) {
            _ = try ImageInfo.sniff(Array(png[..<20]), source: "a.png")
        }
        let jpeg = Fixtures.jpeg(width: 4, height: 4)
        for length in 3..<jpeg.count - 14 { #expect(throws: ImageHeaderError.self) { _ = try ImageInfo.sniff(Array(jpeg[..<length])) } }
        #expect(throws: ImageHeaderError.malformed(source: "z.png", format: .png, offset: 0, reason: "dimensions 0×5 are not positive")) {
            _ = try ImageInfo.sniff(Fixtures.png(width: 0, height: 5), source: "z.png")
        }
        let pgm = Array("P5 28 x".utf8)
        #expect(throws: ImageHeaderError.malformed(source: "<bytes>", format: .pgm, offset: 6, reason: "expected a decimal number")) {
            _ = try ImageInfo.sniff(pgm)
        }
    }
}
