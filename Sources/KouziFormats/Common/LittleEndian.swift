/// Bounds-checked little- and big-endian integer reads from byte arrays, returning nil past the end.
extension Array where Element == UInt8 {
    /// The unsigned 16-bit little-endian integer at `offset`, or nil when it does not fit.
    func le16(_ offset: Int) -> UInt16? {
        guard offset >= 0, offset <= count - 2 else { return nil }
        return UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    /// The unsigned 32-bit little-endian integer at `offset`, or nil when it does not fit.
    func le32(_ offset: Int) -> UInt32? {
        guard offset >= 0, offset <= count - 4 else { return nil }
        return UInt32(self[offset]) | UInt32(self[offset + 1]) << 8 | UInt32(self[offset + 2]) << 16
            | UInt32(self[offset + 3]) << 24
    }

    /// The unsigned 64-bit little-endian integer at `offset`, or nil when it does not fit.
    func le64(_ offset: Int) -> UInt64? {
        guard let low = le32(offset), let high = le32(offset + 4) else { return nil }
        return UInt64(low) | UInt64(high) << 32
    }

    /// The unsigned 16-bit big-endian integer at `offset`, or nil when it does not fit.
    func be16(_ offset: Int) -> UInt16? {
        guard offset >= 0, offset <= count - 2 else { return nil }
        return UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
    }

    /// The unsigned 32-bit big-endian integer at `offset`, or nil when it does not fit.
    func be32(_ offset: Int) -> UInt32? {
        guard offset >= 0, offset <= count - 4 else { return nil }
        return UInt32(self[offset]) << 24 | UInt32(self[offset + 1]) << 16 | UInt32(self[offset + 2]) << 8
            | UInt32(self[offset + 3])
    }

    /// Whether the bytes at `offset` equal `ascii`.
    func matches(_ ascii: String, at offset: Int) -> Bool {
        let pattern = Array(ascii.utf8)
        guard offset >= 0, offset <= count - pattern.count else { return false }
        for i in 0..<pattern.count where self[offset + i] != pattern[i] { return false }
        return true
    }

    /// Appends `value` as two little-endian bytes.
    mutating func appendLE16(_ value: UInt16) {
        append(UInt8(value & 0xFF))
        append(UInt8(value >> 8))
    }

    /// Appends `value` as four little-endian bytes.
    mutating func appendLE32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8(value >> UInt32(shift) & 0xFF)) }
    }
}
