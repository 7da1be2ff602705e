import Synchronization

/// A reference-counted, 64-byte aligned buffer of tensor elements.
///
/// ``Tensor`` holds its storage by reference and copies it before a write when it is shared
/// (copy-on-write), which gives tensors value semantics.
public final class TensorStorage: @unchecked Sendable {
    /// The element type.
    public let dtype: DType
    /// Number of elements.
    public let count: Int
    /// The device the bytes live on.
    public let device: Device
    /// Start of the elements.
    public let raw: UnsafeMutableRawPointer

    /// Allocates uninitialised storage on the CPU.
    public init(count: Int, dtype: DType) {
        self.dtype = dtype
        self.count = count
        self.device = .cpu
        self.raw = BufferCache.shared.allocate(byteCount: Swift.max(count * dtype.byteSize, 1))
    }

    deinit { BufferCache.shared.release(raw, byteCount: Swift.max(count * dtype.byteSize, 1)) }

    /// Typed view of the elements.
    @inline(__always)
    public func pointer<T: TensorScalar>(_: T.Type) -> UnsafeMutablePointer<T> {
        raw.assumingMemoryBound(to: T.self)
    }

    /// Float view of the elements.
    @inline(__always)
    public var floats: UnsafeMutablePointer<Float> { raw.assumingMemoryBound(to: Float.self) }

    /// A new storage with the same bytes.
    public func copy() -> TensorStorage {
        let s = TensorStorage(count: count, dtype: dtype)
        s.raw.copyMemory(from: raw, byteCount: count * dtype.byteSize)
        return s
    }
}

/// Keeps freed large buffers for reuse, keyed by their exact (rounded) size.
///
/// Training repeats the same tensor sizes every step; recycling their buffers avoids a fresh
/// `mmap`, page faults and zero-filling by the kernel for every gradient and activation.
/// Small buffers go straight to `malloc`, which recycles them well already. The cache holds at
/// most ``capacity`` bytes.
final class BufferCache: Sendable {
    static let shared = BufferCache()

    /// Buffers smaller than this are not cached.
    static let minimumBytes = 16 * 1024
    /// Upper bound on the bytes kept for reuse.
    static let capacity = 256 * 1024 * 1024

    private struct State: ~Copyable {
        var free: [Int: [UInt]] = [:]  // addresses, as integers so they can cross the lock
        var cachedBytes = 0
    }
    private let state = Mutex(State())

    @inline(__always)
    static func rounded(_ bytes: Int) -> Int { (bytes + 4095) & ~4095 }

    func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        if byteCount < BufferCache.minimumBytes {
            return UnsafeMutableRawPointer.allocate(byteCount: (byteCount + 63) & ~63, alignment: 64)
        }
        let size = BufferCache.rounded(byteCount)
        let reused: UInt? = state.withLock { s in
            guard let p = s.free[size]?.popLast() else { return nil }
            s.cachedBytes -= size
            return p
        }
        if let reused, let p = UnsafeMutableRawPointer(bitPattern: reused) { return p }
        return UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
    }

    func release(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        if byteCount < BufferCache.minimumBytes { pointer.deallocate(); return }
        let size = BufferCache.rounded(byteCount)
        let address = UInt(bitPattern: pointer)
        let kept = state.withLock { s -> Bool in
            guard s.cachedBytes + size <= BufferCache.capacity else { return false }
            s.free[size, default: []].append(address)
            s.cachedBytes += size
            return true
        }
        if !kept { pointer.deallocate() }
    }
}
