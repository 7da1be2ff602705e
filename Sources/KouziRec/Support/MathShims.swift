import KouziBase

@inline(__always) func _log(_ x: Double) -> Double { log(x) }
@inline(__always) func _log2(_ x: Double) -> Double { log2(x) }
@inline(__always) func _cos(_ x: Double) -> Double { cos(x) }
@inline(__always) func _exp(_ x: Double) -> Double { exp(x) }
@inline(__always) func _expf(_ x: Float) -> Float { expf(x) }

/// Seconds on a monotonic clock, for timing fits and benchmarks.
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// The logistic function 1 / (1 + e^−x), computed without overflow.
@inline(__always) func sigmoid(_ x: Float) -> Float {
    x >= 0 ? 1 / (1 + expf(-x)) : { let e = expf(x); return e / (1 + e) }()
}

/// Dot product of two `n`-long float vectors with eight-wide SIMD accumulators.
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD8<Float>()
    var i = 0
    while i + 8 <= n {
        let x = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
        let y = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
        acc.addProduct(x, y)
        i += 8
    }
    var s = acc.sum()
    while i < n { s += a[i] * b[i]; i += 1 }
    return s
}

/// Reads a whole file with POSIX calls, throwing ``RecError/fileUnreadable(path:reason:)``.
func readFileBytes(_ path: String) throws(RecError) -> [UInt8] {
    guard let file = fopen(path, "rb") else {
        throw RecError.fileUnreadable(path: path, reason: String(cString: strerror(errno)))
    }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let got = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        if got > 0 { bytes.append(contentsOf: chunk[0..<got]) }
        if got < chunk.count {
            if ferror(file) != 0 { throw RecError.fileUnreadable(path: path, reason: "read error") }
            break
        }
    }
    return bytes
}
