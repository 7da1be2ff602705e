import Foundation
import Synchronization

/// The threads that streaming pipelines start: parallel `map` workers and prefetchers.
///
/// Pipelines start them on an iterator's first element and end them when the epoch ends, an error
/// stops it or the iterator is dropped, so ``running`` returns to zero once no iterator is in use.
public enum DatasetThreads {
    private static let live = Atomic<Int>(0)

    /// The number of pipeline threads running now (a diagnostic: leaks show as a count that stays up).
    public static var running: Int { live.load(ordering: .acquiring) }

    /// Starts a named thread running `body`, which must call ``exiting()`` as it returns.
    static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        live.add(1, ordering: .relaxed)
        let thread = Thread(block: body)
        thread.name = name
        thread.start()
    }

    /// Counts the calling pipeline thread as finished.
    static func exiting() {
        live.subtract(1, ordering: .releasing)
    }
}
