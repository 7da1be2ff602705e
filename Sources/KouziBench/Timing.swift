import KouziBase

/// Monotonic time in seconds.
func now() -> Double { MonotonicClock.seconds() }

/// Runs `body` for `warmup` untimed iterations, then times single iterations until `minTime`
/// seconds and at least `minRuns` runs have passed; returns the median in seconds.
func medianTime(warmup: Int = 5, minRuns: Int = 20, minTime: Double = 1.0, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<warmup { try body() }
    var samples: [Double] = []
    let start = now()
    while samples.count < minRuns || now() - start < minTime {
        let t0 = now()
        try body()
        samples.append(now() - t0)
        if samples.count > 100_000 { break }
    }
    samples.sort()
    return samples[samples.count / 2]
}

/// Renders seconds with a unit that suits the magnitude.
func formatSeconds(_ s: Double) -> String {
    if s < 1e-3 { return String(format1: s * 1e6) + " µs" }
    if s < 1 { return String(format1: s * 1e3) + " ms" }
    return String(format1: s) + " s"
}

extension String {
    init(format1 v: Double) {
        let r = (v * 100).rounded() / 100
        self = String(r)
    }
}
