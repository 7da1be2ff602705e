/// Where a tensor's elements live and where its kernels run.
///
/// Only ``cpu`` exists today. Every kernel is reached through ``Backend``, so a GPU backend is an
/// addition: it registers itself for its device and user code keeps calling the same tensor API.
public enum Device: Hashable, Sendable, CustomStringConvertible {
    /// The host CPU (OpenBLAS + SIMD kernels).
    case cpu
    /// A CUDA device by ordinal. Reserved: no backend is registered for it yet.
    case cuda(Int)

    public var description: String {
        switch self {
        case .cpu: return "cpu"
        case .cuda(let i): return "cuda:\(i)"
        }
    }

    /// The backend that runs kernels for this device.
    public var backend: any Backend {
        switch self {
        case .cpu: return CPUBackend.shared
        case .cuda: preconditionFailure("no CUDA backend is available in this build")
        }
    }

    /// Whether a backend for this device is available in this process.
    public var isAvailable: Bool {
        switch self {
        case .cpu: return true
        case .cuda: return false
        }
    }
}

/// The kernels a device must provide: memory, matrix products and a few primitive loops.
///
/// Tensor operations are written against this protocol; the CPU implementation is ``CPUBackend``.
public protocol Backend: Sendable {
    /// The device this backend serves.
    var device: Device { get }
    /// Allocates uninitialised storage for `count` elements of `dtype`.
    func allocate(count: Int, dtype: DType) -> TensorStorage
    /// Row-major single-precision GEMM: `C = alpha * op(A) * op(B) + beta * C`.
    func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
              a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
              beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int)
}
