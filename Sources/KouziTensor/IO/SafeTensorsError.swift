/// An error decoding, reading or writing a safetensors file.
public enum SafeTensorsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Fewer than the 8 bytes of the header length.
    case missingHeaderLength(fileSize: Int)
    /// The header length points past the end of the file (or beyond the 100 MB limit).
    case headerLengthOutOfRange(length: UInt64, available: Int)
    /// The header is not a JSON object.
    case invalidHeader(reason: String)
    /// A tensor entry lacks a field or has one of the wrong type.
    case invalidEntry(name: String, reason: String)
    /// A dtype other than F32, I32 and I64.
    case unsupportedDType(name: String, dtype: String)
    /// The byte range does not hold shape × dtype size bytes.
    case sizeMismatch(name: String, shape: [Int], dtype: String, expectedBytes: Int, rangeBytes: Int)
    /// A byte range that ends past the end of the file.
    case truncated(name: String, end: Int, dataSize: Int)
    /// Two tensors whose byte ranges overlap.
    case overlapping(first: String, second: String)
    /// Bytes of the data section that belong to no tensor (a gap, or trailing bytes).
    case unclaimedBytes(offset: Int, count: Int)
    /// Two tensors of the same name, or a tensor named `__metadata__`.
    case invalidName(String)
    /// The file system refused a read or write.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case let .missingHeaderLength(size):
            return "safetensors: file of \(size) bytes is too short for the 8-byte header length"
        case let .headerLengthOutOfRange(length, available):
            return "safetensors: header length \(length) exceeds the \(available) bytes after the length field"
        case let .invalidHeader(reason):
            return "safetensors: invalid JSON header: \(reason)"
        case let .invalidEntry(name, reason):
            return "safetensors: tensor '\(name)': \(reason)"
        case let .unsupportedDType(name, dtype):
            return "safetensors: tensor '\(name)' has dtype \(dtype); supported are F32, I32, I64"
        case let .sizeMismatch(name, shape, dtype, expected, range):
            return "safetensors: tensor '\(name)' of shape \(shape) and dtype \(dtype) needs \(expected) bytes, its data_offsets span \(range)"
        case let .truncated(name, end, dataSize):
            return "safetensors: truncated file: tensor '\(name)' ends at data byte \(end) but the data section has \(dataSize) bytes"
        case let .overlapping(first, second):
            return "safetensors: the data of tensors '\(first)' and '\(second)' overlap"
        case let .unclaimedBytes(offset, count):
            return "safetensors: \(count) bytes at data offset \(offset) belong to no tensor"
        case let .invalidName(name):
            return "safetensors: duplicate or reserved tensor name '\(name)'"
        case let .io(path, reason):
            return "safetensors: '\(path)': \(reason)"
        }
    }
}
