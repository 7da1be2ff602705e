/// An error reading an image header; messages name the file and the byte offset where known.
public enum ImageHeaderError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The bytes start with no known image signature.
    case unrecognized(source: String)
    /// The header ends before the needed fields.
    case truncated(source: String, format: ImageFormat, offset: Int)
    /// A header field is invalid.
    case malformed(source: String, format: ImageFormat, offset: Int, reason: String)

    public var description: String {
        switch self {
        case let .unrecognized(source):
            return "\(source): not a PNG, JPEG, GIF, BMP or Netpbm image"
        case let .truncated(source, format, offset):
            return "\(source): truncated \(format.rawValue.uppercased()) header at offset \(offset)"
        case let .malformed(source, format, offset, reason):
            return "\(source): malformed \(format.rawValue.uppercased()) header at offset \(offset): \(reason)"
        }
    }
}
