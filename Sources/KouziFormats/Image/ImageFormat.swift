/// An image file format recognised by ``ImageInfo/sniff(_:source:)``.
public enum ImageFormat: String, Sendable, Codable, CaseIterable, Hashable {
    /// Portable Network Graphics.
    case png
    /// JPEG / JFIF / EXIF.
    case jpeg
    /// Graphics Interchange Format (87a and 89a).
    case gif
    /// Windows bitmap.
    case bmp
    /// Netpbm greyscale (P2, P5).
    case pgm
    /// Netpbm colour (P3, P6).
    case ppm
    /// Netpbm bitmap (P1, P4).
    case pbm

    /// The format named by the first bytes of `bytes`, or nil; only the signature is examined.
    public static func detect(_ bytes: [UInt8]) -> ImageFormat? {
        if bytes.count >= 8, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return .jpeg }
        if bytes.matches("GIF87a", at: 0) || bytes.matches("GIF89a", at: 0) { return .gif }
        if bytes.matches("BM", at: 0), bytes.count >= 18 { return .bmp }
        if bytes.count >= 3, bytes[0] == UInt8(ascii: "P"), Self.isSpace(bytes[2]) || bytes[2] == UInt8(ascii: "#") {
            switch bytes[1] {
            case UInt8(ascii: "1"), UInt8(ascii: "4"): return .pbm
            case UInt8(ascii: "2"), UInt8(ascii: "5"): return .pgm
            case UInt8(ascii: "3"), UInt8(ascii: "6"): return .ppm
            default: return nil
            }
        }
        return nil
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }
}
