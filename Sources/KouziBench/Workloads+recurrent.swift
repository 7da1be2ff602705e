extension Workloads {
    /// The recurrent workloads (same names as in scripts/bench/recurrent.py).
    static var recurrent: [Workload] { [] }
}
