/// Strict UTF-8 validation that reports where the first invalid byte sequence starts.
enum UTF8Validation {
    /// The offset of the first invalid sequence (overlong forms, surrogates, values above U+10FFFF and
    /// truncated sequences included), or nil when `bytes` is valid UTF-8.
    static func firstInvalidOffset(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { b -> Int? in
            var i = 0
            let n = b.count
            while i < n {
                let lead = b[i]
                if lead < 0x80 { i += 1; continue }
                let length: Int
                var low: UInt8 = 0x80, high: UInt8 = 0xBF
                switch lead {
                case 0xC2...0xDF: length = 2
                case 0xE0: length = 3; low = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: length = 3
                case 0xED: length = 3; high = 0x9F
                case 0xF0: length = 4; low = 0x90
                case 0xF1...0xF3: length = 4
                case 0xF4: length = 4; high = 0x8F
                default: return i
                }
                guard i + length <= n else { return i }
                guard (low...high).contains(b[i + 1]) else { return i }
                for k in 2..<length where !(0x80...0xBF).contains(b[i + k]) { return i }
                i += length
            }
            return nil
        }
    }
}
