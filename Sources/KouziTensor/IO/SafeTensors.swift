#if canImport(FoundationEssentials)
import KouziBase
import FoundationEssentials
#else
import Foundation
#endif

/// The safetensors format: named tensors and a string metadata map in one file.
///
/// Layout: an 8-byte little-endian header length *N*, *N* bytes of JSON
/// (`{"__metadata__": {...}, "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, ...}`,
/// padded with spaces to a multiple of 8), then the little-endian tensor bytes. Files written here load
/// with `safetensors.numpy.load_file` and `safetensors.torch.load_file`.
///
/// ```swift
/// try SafeTensors.write([("dense.weight", w), ("dense.bias", b)], metadata: ["epoch": "3"], to: "model.safetensors")
/// let (tensors, metadata) = try SafeTensors.read(from: "model.safetensors")
/// ```
public enum SafeTensors {
    /// The largest header accepted, as in the reference implementation.
    public static let maxHeaderLength = 100_000_000

    /// Serialises tensors (sorted by name) and metadata.
    ///
    /// - Precondition: names are unique and none is `__metadata__` (``write(_:metadata:to:)`` throws instead).
    public static func encode(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]) -> [UInt8] {
        let sorted = tensors.sorted { $0.name < $1.name }
        var header = "{"
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(JSONValue.quoted($0)):\(JSONValue.quoted(metadata[$0]!))" }
            fields.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for (index, entry) in sorted.enumerated() {
            precondition(entry.name != "__metadata__" && (index == 0 || sorted[index - 1].name != entry.name),
                         "duplicate or reserved tensor name '\(entry.name)'")
            let size = entry.tensor.count * entry.tensor.dtype.byteSize
            let shape = entry.tensor.shape.map(String.init).joined(separator: ",")
            fields.append("\(JSONValue.quoted(entry.name)):{\"dtype\":\"\(entry.tensor.dtype.safetensorsName)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + size)]}")
            offset += size
        }
        header += fields.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        headerBytes += [UInt8](repeating: 0x20, count: (8 - headerBytes.count % 8) % 8)
        var out = [UInt8](repeating: 0, count: 8 + headerBytes.count + offset)
        out.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: UInt64(headerBytes.count).littleEndian, as: UInt64.self)
            raw.baseAddress!.advanced(by: 8).copyMemory(from: headerBytes, byteCount: headerBytes.count)
            var position = 8 + headerBytes.count
            for (_, tensor) in sorted {
                switch tensor.dtype {
                case .float32: tensor.withUnsafeElements(Float.self) { store($0.lazy.map(\.bitPattern), raw, &position) }
                case .int32: tensor.withUnsafeElements(Int32.self) { store($0, raw, &position) }
                case .int64: tensor.withUnsafeElements(Int64.self) { store($0, raw, &position) }
                }
            }
        }
        return out
    }

    /// Parses and validates a safetensors file held in memory.
    ///
    /// - Throws: ``SafeTensorsError`` for a header length beyond the file, invalid JSON, an unknown dtype,
    ///   byte ranges that are out of range, overlapping, leave gaps or disagree with shape × dtype size,
    ///   and truncated files.
    public static func decode(_ bytes: [UInt8]) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard bytes.count >= 8 else { throw SafeTensorsError.missingHeaderLength(fileSize: bytes.count) }
        let length = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard length <= UInt64(bytes.count - 8), length <= UInt64(maxHeaderLength) else {
            throw SafeTensorsError.headerLengthOutOfRange(length: length, available: bytes.count - 8)
        }
        let dataStart = 8 + Int(length)
        let headerBytes = bytes[8..<dataStart]
        guard headerBytes.first == UInt8(ascii: "{") else {
            throw SafeTensorsError.invalidHeader(reason: "the header must start with '{'")
        }
        let root: [String: JSONValue]
        do { root = try JSONDecoder().decode([String: JSONValue].self, from: Data(headerBytes)) } catch {
            throw SafeTensorsError.invalidHeader(reason: "\(error)")
        }
        var metadata: [String: String] = [:]
        var entries: [(name: String, dtype: DType, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in root {
            if name == "__metadata__" {
                guard case let .object(map) = value else { throw SafeTensorsError.invalidHeader(reason: "__metadata__ is not an object") }
                for (key, item) in map {
                    guard case let .string(text) = item else {
                        throw SafeTensorsError.invalidHeader(reason: "metadata value of '\(key)' is not a string")
                    }
                    metadata[key] = text
                }
                continue
            }
            guard case let .object(fields) = value else { throw SafeTensorsError.invalidEntry(name: name, reason: "not an object") }
            guard case let .string(dtypeName)? = fields["dtype"] else {
                throw SafeTensorsError.invalidEntry(name: name, reason: "missing string field 'dtype'")
            }
            guard let dtype = DType(safetensorsName: dtypeName) else { throw SafeTensorsError.unsupportedDType(name: name, dtype: dtypeName) }
            let shape = try integers(fields["shape"], name: name, field: "shape")
            let offsets = try integers(fields["data_offsets"], name: name, field: "data_offsets")
            guard offsets.count == 2, offsets[0] <= offsets[1] else {
                throw SafeTensorsError.invalidEntry(name: name, reason: "data_offsets must be [begin, end] with begin <= end")
            }
            var elements = 1
            for dim in shape {
                let product = elements.multipliedReportingOverflow(by: dim)
                guard !product.overflow else { throw SafeTensorsError.invalidEntry(name: name, reason: "shape \(shape) is too large") }
                elements = product.partialValue
            }
            let expected = elements.multipliedReportingOverflow(by: dtype.byteSize)
            guard !expected.overflow, expected.partialValue == offsets[1] - offsets[0] else {
                throw SafeTensorsError.sizeMismatch(name: name, shape: shape, dtype: dtypeName,
                                                    expectedBytes: expected.partialValue, rangeBytes: offsets[1] - offsets[0])
            }
            entries.append((name, dtype, shape, offsets[0], offsets[1]))
        }
        let dataSize = bytes.count - dataStart
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var cursor = 0
        var previous: String?
        for entry in entries {
            guard entry.end <= dataSize else { throw SafeTensorsError.truncated(name: entry.name, end: entry.end, dataSize: dataSize) }
            if entry.begin < cursor, let previous { throw SafeTensorsError.overlapping(first: previous, second: entry.name) }
            if entry.begin > cursor { throw SafeTensorsError.unclaimedBytes(offset: cursor, count: entry.begin - cursor) }
            cursor = entry.end
            previous = entry.name
        }
        if cursor < dataSize { throw SafeTensorsError.unclaimedBytes(offset: cursor, count: dataSize - cursor) }
        var tensors: [String: Tensor] = [:]
        bytes.withUnsafeBytes { raw in
            for entry in entries {
                let base = dataStart + entry.begin
                let n = (entry.end - entry.begin) / entry.dtype.byteSize
                switch entry.dtype {
                case .float32:
                    tensors[entry.name] = Tensor(shape: entry.shape, scalars: load(raw, base, n) { Float(bitPattern: $0 as UInt32) })
                case .int32:
                    tensors[entry.name] = Tensor(shape: entry.shape, values: load(raw, base, n) { $0 as Int32 })
                case .int64:
                    tensors[entry.name] = Tensor(shape: entry.shape, values: load(raw, base, n) { $0 as Int64 })
                }
            }
        }
        return (tensors, metadata)
    }

    /// Writes tensors and metadata to `path` atomically: a temporary file in the same directory is
    /// written, flushed with `fsync` and renamed over `path`.
    ///
    /// - Throws: ``SafeTensorsError/invalidName(_:)`` for duplicate or reserved names,
    ///   ``SafeTensorsError/io(path:reason:)`` when the file system refuses.
    public static func write(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:], to path: String) throws {
        var seen = Set<String>()
        for (name, _) in tensors where name == "__metadata__" || !seen.insert(name).inserted {
            throw SafeTensorsError.invalidName(name)
        }
        do { try AtomicFile.write(encode(tensors, metadata: metadata), to: path) } catch {
            throw SafeTensorsError.io(path: error.path, reason: error.reason)
        }
    }

    /// Reads and decodes the safetensors file at `path`.
    public static func read(from path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let bytes: [UInt8]
        do { bytes = try FileBytes.contents(of: path) } catch { throw SafeTensorsError.io(path: path, reason: error.reason) }
        return try decode(bytes)
    }

    // MARK: Helpers

    private static func store<S: Sequence>(_ values: S, _ raw: UnsafeMutableRawBufferPointer, _ position: inout Int)
    where S.Element: FixedWidthInteger {
        for value in values {
            raw.storeBytes(of: value.littleEndian, toByteOffset: position, as: S.Element.self)
            position += MemoryLayout<S.Element>.size
        }
    }

    /// `count` little-endian words from byte `base` of `raw`, converted by `convert`.
    @inline(__always)
    private static func load<T: FixedWidthInteger, R>(_ raw: UnsafeRawBufferPointer, _ base: Int, _ count: Int,
                                                       _ convert: (T) -> R) -> [R] {
        [R](unsafeUninitializedCapacity: count) { out, initialized in
            for i in 0..<count {
                out[i] = convert(T(littleEndian: raw.loadUnaligned(fromByteOffset: base + i * MemoryLayout<T>.size, as: T.self)))
            }
            initialized = count
        }
    }

    private static func integers(_ value: JSONValue?, name: String, field: String) throws -> [Int] {
        guard case let .array(items)? = value else {
            throw SafeTensorsError.invalidEntry(name: name, reason: "missing array field '\(field)'")
        }
        return try items.map { item in
            guard let number = item.intValue, number >= 0 else {
                throw SafeTensorsError.invalidEntry(name: name, reason: "'\(field)' must hold non-negative integers")
            }
            return number
        }
    }

}
