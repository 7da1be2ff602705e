extension Workloads {
    /// The transformer workloads (same names as in scripts/bench/transformer.py).
    static var transformer: [Workload] { [] }
}
