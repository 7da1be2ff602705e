import KouziTensor

/// The element type of an IDX file, from the third byte of its magic number.
public enum IDXDataType: UInt8, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Unsigned 8-bit integer.
    case ubyte = 0x08
    /// Signed 8-bit integer.
    case sbyte = 0x09
    /// Signed 16-bit big-endian integer.
    case short = 0x0B
    /// Signed 32-bit big-endian integer.
    case int = 0x0C
    /// 32-bit big-endian IEEE float.
    case float = 0x0D
    /// 64-bit big-endian IEEE float.
    case double = 0x0E

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .ubyte, .sbyte: return 1
        case .short: return 2
        case .int, .float: return 4
        case .double: return 8
        }
    }

    /// Whether the elements are integers.
    public var isIntegral: Bool { self != .float && self != .double }

    public var description: String {
        switch self {
        case .ubyte: return "ubyte"
        case .sbyte: return "sbyte"
        case .short: return "short"
        case .int: return "int"
        case .float: return "float"
        case .double: return "double"
        }
    }
}

/// A parsed IDX file: element type, dimensions and the big-endian element bytes.
///
/// The format is a 4-byte magic number `00 00 type ndims`, `ndims` big-endian 32-bit dimension sizes,
/// then the elements in row-major order. Gzip-compressed input (`.gz`) is recognised by its magic number
/// and decompressed first.
///
/// ```swift
/// let file = try IDXFile(contentsOf: "train-images-idx3-ubyte.gz")
/// let images = file.floatTensor(normalized: true)     // [60000, 28, 28] in [0, 1]
/// ```
public struct IDXFile: Sendable {
    /// The element type.
    public let dataType: IDXDataType
    /// The dimension sizes.
    public let shape: [Int]
    /// A name for the input in error messages (the path, or `<bytes>`).
    public let source: String
    private let bytes: [UInt8]
    private let dataOffset: Int

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// Reads and validates the IDX file at `path`, decompressing it when it is gzip.
    public init(contentsOf path: String) throws {
        let raw: [UInt8]
        do { raw = try FileBytes.contents(of: path) } catch {
            throw IDXError.unreadableFile(path: path, reason: error.reason)
        }
        try self.init(bytes: raw, source: path)
    }

    /// Parses and validates IDX bytes (optionally gzip-compressed).
    ///
    /// - Throws: ``IDXError`` for corrupt gzip data, a bad magic number, an unknown element type, or data
    ///   whose size does not match the dimensions.
    public init(bytes input: [UInt8], source: String = "<bytes>") throws {
        var bytes = input
        if Gzip.isGzip(input) {
            do { bytes = try Gzip.decompress(input) } catch {
                throw IDXError.corruptGzip(source: source, reason: (error as? GzipError)?.message ?? "\(error)")
            }
        }
        guard bytes.count >= 4 else { throw IDXError.truncatedHeader(source: source, needed: 4, got: bytes.count) }
        guard bytes[0] == 0, bytes[1] == 0 else { throw IDXError.badMagic(source: source, bytes: Array(bytes[0..<4])) }
        guard let type = IDXDataType(rawValue: bytes[2]) else {
            throw IDXError.unsupportedType(source: source, code: bytes[2])
        }
        let rank = Int(bytes[3])
        let headerSize = 4 + 4 * rank
        guard bytes.count >= headerSize else {
            throw IDXError.truncatedHeader(source: source, needed: headerSize, got: bytes.count)
        }
        var shape: [Int] = []
        var elements = 1
        var overflow = false
        for d in 0..<rank {
            let o = 4 + 4 * d
            let size = Int(bytes[o]) << 24 | Int(bytes[o + 1]) << 16 | Int(bytes[o + 2]) << 8 | Int(bytes[o + 3])
            shape.append(size)
            let product = elements.multipliedReportingOverflow(by: size)
            overflow = overflow || product.overflow
            elements = product.partialValue
        }
        let byteCount = elements.multipliedReportingOverflow(by: type.byteSize)
        guard !overflow, !byteCount.overflow else { throw IDXError.dimensionsTooLarge(source: source, shape: shape) }
        guard bytes.count - headerSize == byteCount.partialValue else {
            throw IDXError.sizeMismatch(source: source, shape: shape, type: type,
                                        expectedBytes: byteCount.partialValue, gotBytes: bytes.count - headerSize)
        }
        self.dataType = type
        self.shape = shape
        self.source = source
        self.bytes = bytes
        self.dataOffset = headerSize
    }

    /// The elements as a float32 tensor of ``shape``.
    ///
    /// - Parameter normalized: map the full range of an integer type onto [0, 1] (`ubyte` divides by 255,
    ///   the signed types shift by their minimum first). Float types are returned unchanged.
    public func floatTensor(normalized: Bool = false) -> Tensor {
        floatTensor(normalized: normalized, reshapedTo: shape)
    }

    /// The elements as float32 under another shape with the same element count.
    func floatTensor(normalized: Bool, reshapedTo newShape: [Int]) -> Tensor {
        let n = count
        let values = [Float](unsafeUninitializedCapacity: n) { out, initialized in
            bytes.withUnsafeBufferPointer { all in
                let p = all.baseAddress! + dataOffset
                switch dataType {
                case .ubyte:
                    let scale: Float = normalized ? 255 : 1
                    for i in 0..<n { out[i] = Float(p[i]) / scale }
                case .sbyte:
                    for i in 0..<n {
                        let v = Float(Int8(bitPattern: p[i]))
                        out[i] = normalized ? (v + 128) / 255 : v
                    }
                case .short:
                    for i in 0..<n {
                        let v = Float(Int16(bitPattern: UInt16(p[2 * i]) << 8 | UInt16(p[2 * i + 1])))
                        out[i] = normalized ? (v + 32_768) / 65_535 : v
                    }
                case .int:
                    for i in 0..<n {
                        let v = Double(Int32(bitPattern: Self.word32(p + 4 * i)))
                        out[i] = Float(normalized ? (v + 2_147_483_648) / 4_294_967_295 : v)
                    }
                case .float:
                    for i in 0..<n { out[i] = Float(bitPattern: Self.word32(p + 4 * i)) }
                case .double:
                    for i in 0..<n {
                        let word = UInt64(Self.word32(p + 8 * i)) << 32 | UInt64(Self.word32(p + 8 * i + 4))
                        out[i] = Float(Double(bitPattern: word))
                    }
                }
            }
            initialized = n
        }
        return Tensor(shape: newShape, scalars: values)
    }

    /// The elements as an int64 tensor of ``shape`` (class labels).
    ///
    /// - Throws: ``IDXError/notIntegral(source:type:)`` for float element types.
    public func int64Tensor() throws -> Tensor {
        guard dataType.isIntegral else { throw IDXError.notIntegral(source: source, type: dataType) }
        let n = count
        let values = [Int64](unsafeUninitializedCapacity: n) { out, initialized in
            bytes.withUnsafeBufferPointer { all in
                let p = all.baseAddress! + dataOffset
                for i in 0..<n {
                    switch dataType {
                    case .ubyte: out[i] = Int64(p[i])
                    case .sbyte: out[i] = Int64(Int8(bitPattern: p[i]))
                    case .short: out[i] = Int64(Int16(bitPattern: UInt16(p[2 * i]) << 8 | UInt16(p[2 * i + 1])))
                    default: out[i] = Int64(Int32(bitPattern: Self.word32(p + 4 * i)))
                    }
                }
            }
            initialized = n
        }
        return Tensor(shape: shape, values: values)
    }

    @inline(__always)
    private static func word32(_ p: UnsafePointer<UInt8>) -> UInt32 {
        UInt32(p[0]) << 24 | UInt32(p[1]) << 16 | UInt32(p[2]) << 8 | UInt32(p[3])
    }
}
