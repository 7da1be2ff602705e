import CZlib

/// The CRC-32 checksum of ZIP and PNG (polynomial 0xEDB88320), computed by zlib.
///
/// ```swift
/// var crc = CRC32()
/// crc.update(firstChunk)
/// crc.update(secondChunk)
/// print(crc.value)
/// ```
public struct CRC32: Sendable, Equatable {
    /// The checksum of the bytes seen so far.
    public private(set) var value: UInt32 = 0

    /// A checksum of no bytes (zero).
    public init() {}

    /// Feeds more bytes.
    ///
    /// - Complexity: O(`bytes.count`).
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Feeds more bytes from a raw buffer.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard var base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var remaining = buffer.count
        var crc = UInt(value)
        while remaining > 0 {
            let take = min(remaining, 1 << 30)
            crc = crc32(crc, base, UInt32(take))
            base += take
            remaining -= take
        }
        value = UInt32(truncatingIfNeeded: crc)
    }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }
}
