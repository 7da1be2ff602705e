/// An error reading a WAV file; messages name the file and the byte offset where known.
public enum WAVError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file does not start with `RIFF....WAVE`.
    case notWAV(source: String)
    /// A chunk header or chunk ends past the end of the file.
    case truncated(source: String, chunk: String, offset: Int, needed: Int, available: Int)
    /// No `fmt ` chunk precedes the `data` chunk.
    case missingFormat(source: String)
    /// No `data` chunk was found.
    case missingData(source: String)
    /// The `fmt ` chunk is inconsistent or describes an encoding that cannot be decoded.
    case unsupportedFormat(source: String, reason: String)
    /// The `fmt ` chunk's fields contradict each other.
    case malformed(source: String, offset: Int, reason: String)

    public var description: String {
        switch self {
        case let .notWAV(source):
            return "\(source): not a WAV file (expected 'RIFF' ... 'WAVE' at offset 0)"
        case let .truncated(source, chunk, offset, needed, available):
            return "\(source): truncated '\(chunk)' chunk at offset \(offset): needs \(needed) bytes, \(available) remain"
        case let .missingFormat(source):
            return "\(source): no 'fmt ' chunk before the 'data' chunk"
        case let .missingData(source):
            return "\(source): no 'data' chunk"
        case let .unsupportedFormat(source, reason):
            return "\(source): unsupported WAV encoding: \(reason)"
        case let .malformed(source, offset, reason):
            return "\(source): malformed 'fmt ' chunk at offset \(offset): \(reason)"
        }
    }
}
