/// The size and layout of an image, read from its header without decoding pixels.
///
/// ```swift
/// let info = try ImageInfo.sniff(bytes, source: "cat/1.png")
/// print(info.format, info.width, info.height, info.channels)   // png 32 32 3
/// ```
public struct ImageInfo: Sendable, Codable, Equatable, Hashable {
    /// The file format.
    public var format: ImageFormat
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// Colour channels after decoding: 1 grey, 2 grey + alpha, 3 colour (palettes included), 4 with alpha.
    public var channels: Int

    /// Creates a description.
    public init(format: ImageFormat, width: Int, height: Int, channels: Int) {
        self.format = format
        self.width = width
        self.height = height
        self.channels = channels
    }

    /// Reads the header of a PNG, JPEG, GIF, BMP or Netpbm (P1–P6) image.
    ///
    /// JPEG markers are walked until a start-of-frame marker; `bytes` may be a prefix of the file as
    /// long as it holds that marker.
    ///
    /// - Throws: ``ImageHeaderError`` for unknown signatures, truncated or invalid headers.
    public static func sniff(_ bytes: [UInt8], source: String = "<bytes>") throws(ImageHeaderError) -> ImageInfo {
        guard let format = ImageFormat.detect(bytes) else { throw ImageHeaderError.unrecognized(source: source) }
        let info: ImageInfo
        switch format {
        case .png: info = try png(bytes, source)
        case .jpeg: info = try jpeg(bytes, source)
        case .gif:
            guard let w = bytes.le16(6), let h = bytes.le16(8) else { throw ImageHeaderError.truncated(source: source, format: .gif, offset: 6) }
            info = ImageInfo(format: .gif, width: Int(w), height: Int(h), channels: 3)
        case .bmp: info = try bmp(bytes, source)
        case .pgm, .ppm, .pbm: info = try netpbm(bytes, format, source)
        }
        guard info.width > 0, info.height > 0 else {
            throw ImageHeaderError.malformed(source: source, format: format, offset: 0,
                                             reason: "dimensions \(info.width)×\(info.height) are not positive")
        }
        return info
    }

    private static func png(_ b: [UInt8], _ source: String) throws(ImageHeaderError) -> ImageInfo {
        guard b.count >= 33 else { throw ImageHeaderError.truncated(source: source, format: .png, offset: b.count) }
        guard b.matches("IHDR", at: 12), b.be32(8) == 13 else {
            throw ImageHeaderError.malformed(source: source, format: .png, offset: 8, reason: "the first chunk is not a 13-byte IHDR")
        }
        let channels: Int
        switch b[25] {
        case 0: channels = 1
        case 2, 3: channels = 3
        case 4: channels = 2
        case 6: channels = 4
        default:
            throw ImageHeaderError.malformed(source: source, format: .png, offset: 25, reason: "colour type \(b[25])")
        }
        let width = b.be32(16)!, height = b.be32(20)!
        guard width <= Int32.max, height <= Int32.max else {
            throw ImageHeaderError.malformed(source: source, format: .png, offset: 16, reason: "dimensions exceed 2^31 - 1")
        }
        return ImageInfo(format: .png, width: Int(width), height: Int(height), channels: channels)
    }

    private static func jpeg(_ b: [UInt8], _ source: String) throws(ImageHeaderError) -> ImageInfo {
        var i = 2
        while true {
            guard i < b.count else { throw ImageHeaderError.truncated(source: source, format: .jpeg, offset: i) }
            guard b[i] == 0xFF else {
                throw ImageHeaderError.malformed(source: source, format: .jpeg, offset: i, reason: "expected a marker (0xFF)")
            }
            while i < b.count && b[i] == 0xFF { i += 1 }       // fill bytes
            guard i < b.count else { throw ImageHeaderError.truncated(source: source, format: .jpeg, offset: i) }
            let marker = b[i]
            i += 1
            if marker == 0x01 || (0xD0...0xD7).contains(marker) { continue }     // no length
            if marker == 0xD9 || marker == 0xDA {
                throw ImageHeaderError.malformed(source: source, format: .jpeg, offset: i - 2,
                                                 reason: "no start-of-frame marker before \(marker == 0xDA ? "the scan" : "the end")")
            }
            guard let length = b.be16(i) else { throw ImageHeaderError.truncated(source: source, format: .jpeg, offset: i) }
            guard length >= 2 else {
                throw ImageHeaderError.malformed(source: source, format: .jpeg, offset: i, reason: "segment length \(length)")
            }
            if (0xC0...0xCF).contains(marker), marker != 0xC4, marker != 0xC8, marker != 0xCC {
                guard i + 8 <= b.count else { throw ImageHeaderError.truncated(source: source, format: .jpeg, offset: i) }
                let height = Int(b.be16(i + 3)!), width = Int(b.be16(i + 5)!)
                let components = Int(b[i + 7])
                guard components == 1 || components == 3 || components == 4 else {
                    throw ImageHeaderError.malformed(source: source, format: .jpeg, offset: i + 7, reason: "\(components) components")
                }
                return ImageInfo(format: .jpeg, width: width, height: height, channels: components)
            }
            i += Int(length)
        }
    }

    private static func bmp(_ b: [UInt8], _ source: String) throws(ImageHeaderError) -> ImageInfo {
        guard let headerSize = b.le32(14) else { throw ImageHeaderError.truncated(source: source, format: .bmp, offset: 14) }
        let width: Int, height: Int, bits: Int
        if headerSize == 12 {
            guard let w = b.le16(18), let h = b.le16(20), let bpp = b.le16(24) else {
                throw ImageHeaderError.truncated(source: source, format: .bmp, offset: 18)
            }
            (width, height, bits) = (Int(w), Int(h), Int(bpp))
        } else if headerSize >= 40 {
            guard let w = b.le32(18), let h = b.le32(22), let bpp = b.le16(28) else {
                throw ImageHeaderError.truncated(source: source, format: .bmp, offset: 18)
            }
            width = Int(Int32(bitPattern: w))
            height = abs(Int(Int32(bitPattern: h)))       // negative heights mean top-down rows
            bits = Int(bpp)
        } else {
            throw ImageHeaderError.malformed(source: source, format: .bmp, offset: 14, reason: "DIB header size \(headerSize)")
        }
        guard [1, 2, 4, 8, 16, 24, 32].contains(bits) else {
            throw ImageHeaderError.malformed(source: source, format: .bmp, offset: headerSize == 12 ? 24 : 28,
                                             reason: "\(bits) bits per pixel")
        }
        return ImageInfo(format: .bmp, width: width, height: height, channels: bits == 32 ? 4 : 3)
    }

    private static func netpbm(_ b: [UInt8], _ format: ImageFormat, _ source: String) throws(ImageHeaderError) -> ImageInfo {
        var i = 2
        var values: [Int] = []
        let needed = format == .pbm ? 2 : 3
        while values.count < needed {
            while i < b.count, ImageFormat.isSpace(b[i]) || b[i] == UInt8(ascii: "#") {
                if b[i] == UInt8(ascii: "#") { while i < b.count && b[i] != 0x0A && b[i] != 0x0D { i += 1 } } else { i += 1 }
            }
            guard i < b.count else { throw ImageHeaderError.truncated(source: source, format: format, offset: i) }
            let start = i
            var value = 0
            while i < b.count, (0x30...0x39).contains(b[i]) {
                value = value * 10 + Int(b[i] - 0x30)
                guard value <= Int(Int32.max) else {
                    throw ImageHeaderError.malformed(source: source, format: format, offset: start, reason: "number too large")
                }
                i += 1
            }
            guard i > start else {
                throw ImageHeaderError.malformed(source: source, format: format, offset: start, reason: "expected a decimal number")
            }
            values.append(value)
        }
        if needed == 3, !(1...65_535).contains(values[2]) {
            throw ImageHeaderError.malformed(source: source, format: format, offset: i, reason: "maximum value \(values[2])")
        }
        return ImageInfo(format: format, width: values[0], height: values[1], channels: format == .ppm ? 3 : 1)
    }
}
