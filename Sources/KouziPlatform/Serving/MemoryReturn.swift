import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Hands memory freed by large requests back to the system: glibc keeps freed blocks in its arenas for reuse, so
/// one request of thousands of rows would otherwise leave the process that much larger for good. At most once a
/// second, off the request's path.
final class MemoryReturn: @unchecked Sendable {
    /// Requests with at least this many rows are large.
    static let largeRequestRows = 1024
    private let lock = NSLock()
    private var last = 0.0
    private var pending = false
    /// glibc's `malloc_trim` (not in the Swift overlay), where the C library has it.
    private static let trim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(nil, "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()

    /// Returns free memory shortly (within a second).
    func soon() {
        let due: Double? = lock.withLock {
            guard !pending else { return nil }
            pending = true
            return max(0, last + 1 - ProcessInfo.processInfo.systemUptime)
        }
        guard let due else { return }
        Task.detached { [self] in
            if due > 0 { try? await Task.sleep(nanoseconds: UInt64(due * 1e9)) }
            lock.withLock { pending = false; last = ProcessInfo.processInfo.systemUptime }
            _ = Self.trim?(0)
        }
    }
}
