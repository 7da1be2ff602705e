#if canImport(Glibc)
import KouziBase
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The memory this process holds in RAM, for tests and benchmarks that check memory stays flat.
///
/// ```swift
/// let before = ResidentMemory.bytes() ?? 0
/// try pipeline.forEach { _ in }
/// print("grew by", ResidentMemory.megabytes(max(0, (ResidentMemory.bytes() ?? 0) - before)), "MB")
/// ```
public enum ResidentMemory {
    /// The resident set size in bytes (the second field of `/proc/self/statm` times the page size), or
    /// nil where `/proc` is not available.
    public static func bytes() -> Int? {
        guard let contents = try? FileBytes.contents(of: "/proc/self/statm") else { return nil }
        let fields = String(decoding: contents, as: UTF8.self).split(separator: " ")
        guard fields.count >= 2, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// `bytes` in megabytes (10⁶ bytes), rounded to one decimal.
    public static func megabytes(_ bytes: Int) -> Double {
        (Double(bytes) / 100_000).rounded() / 10
    }
}
