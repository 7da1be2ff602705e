/// Time read from the system's monotonic clock: durations that never jump with the wall clock.
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point (boot), for measuring intervals.
    @inlinable
    public static func nanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }

    /// Seconds since an arbitrary fixed point, as a Double.
    @inlinable
    public static func seconds() -> Double { Double(nanoseconds()) / 1e9 }
}

/// Time read from the system's wall clock.
public enum WallClock {
    /// Milliseconds since the Unix epoch.
    public static func milliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
