import Foundation
import Testing
import KouziTensor
import KouziData

@Suite("IDX reader")
struct IDXTests {
    @Test func ubyteImagesNormalizeToUnitRange() throws {
        let bytes = TestSupport.idx(type: 0x08, shape: [2, 2, 3], payload: [0, 51, 255, 1, 2, 3, 4, 5, 6, 7, 8, 9])
        let file = try IDXFile(bytes: bytes)
        #expect(file.dataType == .ubyte)
        #expect(file.shape == [2, 2, 3])
        let raw = file.floatTensor()
        #expect(raw.shape == [2, 2, 3])
        #expect(raw.scalars[0..<3] == [0, 51, 255])
        #expect(file.floatTensor(normalized: true).scalars[0..<3] == [0, 0.2, 1])
        #expect(try file.int64Tensor().intScalars == [0, 51, 255, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    }

    @Test func everyElementTypeDecodesBigEndian() throws {
        let sbyte = try IDXFile(bytes: TestSupport.idx(type: 0x09, shape: [2], payload: [0xFF, 0x7F]))
        #expect(try sbyte.int64Tensor().intScalars == [-1, 127])
        let short = try IDXFile(bytes: TestSupport.idx(type: 0x0B, shape: [2], payload: [0xFF, 0xFE, 0x01, 0x00]))
        #expect(short.floatTensor().scalars == [-2, 256])
        let int = try IDXFile(bytes: TestSupport.idx(type: 0x0C, shape: [1], payload: [0x00, 0x01, 0x00, 0x02]))
        #expect(try int.int64Tensor().intScalars == [65_538])
        let floatBits = Float(1.5).bitPattern
        let float = try IDXFile(bytes: TestSupport.idx(type: 0x0D, shape: [1], payload: [
            UInt8(floatBits >> 24), UInt8(floatBits >> 16 & 0xFF), UInt8(floatBits >> 8 & 0xFF), UInt8(floatBits & 0xFF)]))
        #expect(float.floatTensor().scalars == [1.5])
        let doubleBits = Double(-2.25).bitPattern
        let double = try IDXFile(bytes: TestSupport.idx(type: 0x0E, shape: [1], payload: (0..<8).map {
            UInt8(doubleBits >> (56 - 8 * UInt64($0)) & 0xFF) }))
        #expect(double.floatTensor().scalars == [-2.25])
        #expect(throws: IDXError.notIntegral(source: "<bytes>", type: .double)) { _ = try double.int64Tensor() }
    }

    @Test func gzipRoundTripThroughAFile() throws {
        let payload = (0..<784 * 3).map { UInt8($0 % 256) }
        let bytes = TestSupport.idx(type: 0x08, shape: [3, 28, 28], payload: payload)
        let dir = try TestSupport.temporaryDirectory()
        let path = dir.appendingPathComponent("x-idx3-ubyte.gz").path
        try Data(TestSupport.gzip(bytes)).write(to: URL(fileURLWithPath: path))
        let file = try IDXFile(contentsOf: path)
        #expect(file.shape == [3, 28, 28])
        #expect(file.floatTensor().scalars == payload.map(Float.init))
    }

    @Test func malformedFilesThrowPreciseErrors() {
        #expect(throws: IDXError.badMagic(source: "<bytes>", bytes: [1, 0, 8, 1])) {
            _ = try IDXFile(bytes: [1, 0, 8, 1, 0, 0, 0, 0])
        }
        #expect(throws: IDXError.unsupportedType(source: "<bytes>", code: 0x07)) { _ = try IDXFile(bytes: [0, 0, 7, 0]) }
        #expect(throws: IDXError.truncatedHeader(source: "<bytes>", needed: 12, got: 8)) {
            _ = try IDXFile(bytes: [0, 0, 8, 2, 0, 0, 0, 1])
        }
        #expect(TestSupport.errorMessage {
            _ = try IDXFile(bytes: TestSupport.idx(type: 0x0C, shape: [2, 3], payload: [UInt8](repeating: 0, count: 20)), source: "a.idx")
        } == "a.idx: truncated data: shape [2, 3] of int needs 24 bytes after the header, found 20")
        #expect(throws: IDXError.sizeMismatch(source: "<bytes>", shape: [1], type: .ubyte, expectedBytes: 1, gotBytes: 2)) {
            _ = try IDXFile(bytes: TestSupport.idx(type: 0x08, shape: [1], payload: [1, 2]))
        }
        #expect(throws: IDXError.dimensionsTooLarge(source: "<bytes>", shape: [Int(UInt32.max), Int(UInt32.max), Int(UInt32.max)])) {
            _ = try IDXFile(bytes: TestSupport.idx(type: 0x08, shape: [Int(UInt32.max), Int(UInt32.max), Int(UInt32.max)], payload: []))
        }
        #expect(throws: IDXError.self) { _ = try IDXFile(contentsOf: "/nonexistent/file.idx") }
    }

    @Test func corruptAndTruncatedGzipThrow() throws {
        let gz = TestSupport.gzip(TestSupport.idx(type: 0x08, shape: [100], payload: [UInt8](repeating: 7, count: 100)))
        let truncated = Array(gz.prefix(gz.count - 10))
        let message = TestSupport.errorMessage { _ = try IDXFile(bytes: truncated, source: "t.gz") }
        #expect(message?.hasPrefix("t.gz: corrupt gzip data: truncated stream") == true)
        var corrupt = gz
        corrupt[12] ^= 0xFF
        corrupt[13] ^= 0xFF
        #expect(throws: IDXError.self) { _ = try IDXFile(bytes: corrupt) }
        #expect(throws: GzipError.self) { _ = try Gzip.decompress([0x1F, 0x8B]) }
        #expect(throws: GzipError.self) { _ = try Gzip.decompress(gz + [1, 2, 3]) }
    }

    @Test func gzipHandlesConcatenatedMembersAndLimits() throws {
        let a = Array("hello ".utf8), b = Array("world".utf8)
        #expect(try Gzip.decompress(TestSupport.gzip(a) + TestSupport.gzip(b)) == a + b)
        let big = [UInt8](repeating: 1, count: 1 << 20)
        #expect(try Gzip.decompress(TestSupport.gzip(big)) == big)
        #expect(throws: GzipError.self) { _ = try Gzip.decompress(TestSupport.gzip(big), maxOutputBytes: 1000) }
        #expect(try Gzip.decompress(TestSupport.gzip(big), maxOutputBytes: big.count) == big)
        #expect(try Gzip.decompress(TestSupport.gzip([])) == [])
    }

    @Test func randomBytesNeverCrash() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var bytes = (0..<Int.random(in: 0..<64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if bytes.count > 4 && Bool.random(using: &generator) { bytes[0] = 0; bytes[1] = 0; bytes[2] = 8; bytes[3] = bytes[3] % 4 }
            _ = try? IDXFile(bytes: bytes)
            _ = try? IDXFile(bytes: [0x1F, 0x8B] + bytes)
        }
    }

    @Test func mnistLoaderChecksCountsAndFindsFiles() throws {
        let dir = try TestSupport.temporaryDirectory()
        let images = TestSupport.idx(type: 0x08, shape: [2, 2, 2], payload: [0, 255, 0, 255, 51, 51, 51, 51])
        try Data(TestSupport.gzip(images)).write(to: dir.appendingPathComponent("t10k-images-idx3-ubyte.gz"))
        try Data(TestSupport.idx(type: 0x08, shape: [2], payload: [3, 9])).write(to: dir.appendingPathComponent("t10k-labels-idx1-ubyte"))
        let (x, y) = try MNIST.load(directory: dir.path, split: .test)
        #expect(x.shape == [2, 4])
        #expect(x.scalars == [0, 1, 0, 1, 0.2, 0.2, 0.2, 0.2])
        #expect(y.dtype == .int64 && y.intScalars == [3, 9])
        #expect(try MNIST.load(directory: dir.path, split: .test, flatten: false).images.shape == [2, 2, 2])
        #expect(throws: IDXError.missingFile(directory: dir.path, candidates: ["train-images-idx3-ubyte.gz", "train-images-idx3-ubyte"])) {
            _ = try MNIST.load(directory: dir.path, split: .train)
        }
        try Data(TestSupport.idx(type: 0x08, shape: [3], payload: [1, 2, 3])).write(to: dir.appendingPathComponent("t10k-labels-idx1-ubyte"))
        #expect(throws: IDXError.self) { _ = try MNIST.load(directory: dir.path, split: .test) }
    }
}
