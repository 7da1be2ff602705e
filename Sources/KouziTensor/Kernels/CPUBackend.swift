import KouziBase
import CBLAS

/// The CPU backend: OpenBLAS for matrix products, SIMD loops for everything else.
///
/// Threading: OpenBLAS always runs single-threaded; products of at least ``splitThreshold``
/// multiply-adds per core are cut into column (or row) blocks that run concurrently on
/// ``WorkerPool``, whose hand-off costs about a microsecond. Measured on the MLP training step
/// (docs/benchmarks.md), this beats OpenBLAS's own threading, whose wake-ups dominate at these sizes.
public struct CPUBackend: Backend {
    /// The process-wide instance.
    public static let shared = CPUBackend()

    public var device: Device { .cpu }

    public func allocate(count: Int, dtype: DType) -> TensorStorage {
        TensorStorage(count: count, dtype: dtype)
    }

    public func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                     a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                     beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            for i in 0..<m { for j in 0..<n { c[i * ldc + j] *= beta } }
            return
        }
        let work = m * n * k
        let parts = Swift.min(CPUBackend.configuredThreads, work / CPUBackend.splitThreshold)
        if parts >= 2 && (n >= 16 * parts || m >= 16 * parts) {
            // Independent blocks of columns (or rows), one per core; OpenBLAS runs single-threaded in each.
            let alongN = n >= 16 * parts
            let total = alongN ? n : m
            let size = ((total + parts - 1) / parts + 7) & ~7
            let count = (total + size - 1) / size
            CPUBackend.parallel(count) { part in
                let s0 = part * size, len = Swift.min(size, total - s0)
                if alongN {
                    CPUBackend.sgemm(transA, transB, m, len, k, alpha, a, lda, b + (transB ? s0 * ldb : s0), ldb,
                                     beta, c + s0, ldc)
                } else {
                    CPUBackend.sgemm(transA, transB, len, n, k, alpha, a + (transA ? s0 : s0 * lda), lda, b, ldb,
                                     beta, c + s0 * ldc, ldc)
                }
            }
            return
        }
        CPUBackend.sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }

    /// One OpenBLAS call (GEMV when A is a single row).
    @inline(__always)
    static func sgemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                      _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                      _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        if m == 1 && !transA {
            // Vector × matrix: GEMV is markedly faster than GEMM for a single row.
            cblas_sgemv(CblasRowMajor, transB ? CblasNoTrans : CblasTrans,
                        Int32(transB ? n : k), Int32(transB ? k : n), alpha, b, Int32(ldb),
                        a, 1, beta, c, 1)
            return
        }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Products are split across cores in blocks of at least this many multiply-adds.
    nonisolated(unsafe) public static var splitThreshold = 512 * 1024

    nonisolated(unsafe) private static var threads: Int = {
        let n = Int(openblas_get_num_threads())
        openblas_set_num_threads(1)
        return Swift.max(1, n)
    }()

    /// The thread count set with ``setThreadCount(_:)`` (default: all cores OpenBLAS found).
    public static var configuredThreads: Int { threads }

    /// Sets the number of threads kernels may use.
    public static func setThreadCount(_ n: Int) {
        threads = Swift.max(1, n)
        openblas_set_num_threads(1)
    }

    /// Logical CPUs of the machine.
    public static let hardwareThreads: Int = {
        #if canImport(Glibc)
        return Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return Swift.max(1, Int(sysconf(_SC_NPROCESSORS_ONLN)))
        #endif
    }()

    /// Runs `body(part)` for `parts` parts, concurrently when more than one thread is configured.
    public static func parallel(_ parts: Int, _ body: (Int) -> Void) {
        if parts <= 1 || configuredThreads <= 1 {
            for p in 0..<parts { body(p) }
            return
        }
        WorkerPool.shared.run(parts: parts, body)
    }

    /// Splits `count` elements into contiguous chunks (multiples of 16) for ``parallel(_:_:)``.
    public static func chunks(_ count: Int, minimum: Int = 32 * 1024) -> [Range<Int>] {
        let parts = count >= 2 * minimum ? configuredThreads : 1
        if parts <= 1 { return [0..<count] }
        let size = ((count + parts - 1) / parts + 15) & ~15
        return stride(from: 0, to: count, by: size).map { $0..<Swift.min($0 + size, count) }
    }
}

/// Carries a value the caller guarantees is safe to use from the parallel parts (disjoint writes).
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
