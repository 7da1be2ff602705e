import Foundation

/// A request to stop long work on the current thread, which the work's own loops poll.
///
/// A job's compute thread runs its work inside ``whilePolling(_:_:)`` with the job's stop condition; readers,
/// preprocessing, training and prediction loops call ``check()`` between units of work (a few thousand rows, a
/// column, a batch), so a cancelled or shut-down job stops in whichever phase it is within a fraction of a second.
/// On a thread without a condition ``check()`` costs one thread-local read.
public enum StopRequest {
    /// The work was asked to stop.
    public struct Stopped: Error, CustomStringConvertible, Equatable {
        public init() {}
        public var description: String { "stopped on request" }
    }

    /// Runs `body` with `shouldStop` as the current thread's stop condition (nested calls stack).
    public static func whilePolling<T>(_ shouldStop: @escaping () -> Bool, _ body: () throws -> T) rethrows -> T {
        let previous = pthread_getspecific(key)
        let condition = Unmanaged.passRetained(Condition(shouldStop))
        pthread_setspecific(key, condition.toOpaque())
        defer {
            pthread_setspecific(key, previous)
            condition.release()
        }
        return try body()
    }

    /// Throws ``Stopped`` when the current thread's stop condition holds.
    @inline(__always)
    public static func check() throws {
        guard let raw = pthread_getspecific(key) else { return }
        if Unmanaged<Condition>.fromOpaque(raw).takeUnretainedValue().shouldStop() { throw Stopped() }
    }

    private final class Condition {
        let shouldStop: () -> Bool
        init(_ shouldStop: @escaping () -> Bool) { self.shouldStop = shouldStop }
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()
}
