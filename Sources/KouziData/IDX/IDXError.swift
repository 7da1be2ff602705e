/// An error reading an IDX file (the format of MNIST and Fashion-MNIST).
public enum IDXError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be opened or read.
    case unreadableFile(path: String, reason: String)
    /// Gzip decompression failed.
    case corruptGzip(source: String, reason: String)
    /// Fewer bytes than the 4-byte magic number and the dimension sizes need.
    case truncatedHeader(source: String, needed: Int, got: Int)
    /// The first two bytes are not zero.
    case badMagic(source: String, bytes: [UInt8])
    /// The third byte names no IDX element type.
    case unsupportedType(source: String, code: UInt8)
    /// The product of the dimensions overflows.
    case dimensionsTooLarge(source: String, shape: [Int])
    /// The data after the header does not have the size the dimensions and element type demand.
    case sizeMismatch(source: String, shape: [Int], type: IDXDataType, expectedBytes: Int, gotBytes: Int)
    /// The elements are not integers, so they cannot become class labels.
    case notIntegral(source: String, type: IDXDataType)
    /// Two files that must describe the same examples disagree on their count.
    case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
    /// A file needed by a dataset loader is absent.
    case missingFile(directory: String, candidates: [String])

    public var description: String {
        switch self {
        case let .unreadableFile(path, reason):
            return "cannot read IDX file '\(path)': \(reason)"
        case let .corruptGzip(source, reason):
            return "\(source): corrupt gzip data: \(reason)"
        case let .truncatedHeader(source, needed, got):
            return "\(source): truncated IDX header: needs \(needed) bytes, the file has \(got)"
        case let .badMagic(source, bytes):
            let hex = bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
            return "\(source): not an IDX file: magic number \(hex.joined(separator: " ")) does not start with 00 00"
        case let .unsupportedType(source, code):
            return "\(source): unknown IDX element type 0x\(String(code, radix: 16)) (expected 08, 09, 0b, 0c, 0d or 0e)"
        case let .dimensionsTooLarge(source, shape):
            return "\(source): dimensions \(shape) are too large"
        case let .sizeMismatch(source, shape, type, expected, got):
            let verb = got < expected ? "truncated" : "too long"
            return "\(source): \(verb) data: shape \(shape) of \(type) needs \(expected) bytes after the header, found \(got)"
        case let .notIntegral(source, type):
            return "\(source): elements of type \(type) cannot be read as integer labels"
        case let .countMismatch(images, imageCount, labels, labelCount):
            return "\(images) has \(imageCount) examples but \(labels) has \(labelCount) labels"
        case let .missingFile(directory, candidates):
            return "none of \(candidates.joined(separator: ", ")) exists in '\(directory)'"
        }
    }
}
