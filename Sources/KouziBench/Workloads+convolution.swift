extension Workloads {
    /// The convolution workloads (same names as in scripts/bench/convolution.py).
    static var convolution: [Workload] { [] }
}
