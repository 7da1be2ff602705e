import Synchronization

/// A thread-safe cache of FFT plans keyed by length.
///
/// Plans are built outside the lock (a real plan asks the complex cache for its inner plan), so two
/// threads that miss at the same moment may both build one; the first stored wins and both get it.
/// The cache keeps at most ``capacity`` plans and drops the oldest beyond that.
final class FFTPlanCache<Plan: AnyObject & Sendable>: Sendable {
    private struct State: ~Copyable {
        var plans: [Int: Plan] = [:]
        var order: [Int] = []
    }
    private let state = Mutex(State())
    /// The most plans kept.
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// The plan for `size`, built with `make` on a miss.
    func plan(size: Int, make: (Int) -> Plan) -> Plan {
        if let hit = state.withLock({ $0.plans[size] }) { return hit }
        let built = make(size)
        return state.withLock { s in
            if let raced = s.plans[size] { return raced }
            if s.order.count >= capacity {
                let oldest = s.order.removeFirst()
                s.plans[oldest] = nil
            }
            s.plans[size] = built
            s.order.append(size)
            return built
        }
    }

    /// The number of plans held.
    var count: Int { state.withLock { $0.plans.count } }
}

extension FFTPlan {
    static let cache = FFTPlanCache<FFTPlan>(capacity: 64)

    /// The shared plan for `size` complex points (built on first use, then reused by every thread).
    public static func cached(size: Int) -> FFTPlan {
        cache.plan(size: size) { FFTPlan(size: $0) }
    }
}

extension RealFFTPlan {
    static let cache = FFTPlanCache<RealFFTPlan>(capacity: 64)

    /// The shared plan for `size` real samples (built on first use, then reused by every thread).
    public static func cached(size: Int) -> RealFFTPlan {
        cache.plan(size: size) { RealFFTPlan(size: $0) }
    }
}
