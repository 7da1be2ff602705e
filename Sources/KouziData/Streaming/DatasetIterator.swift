/// Produces the elements of one epoch of a ``Dataset``, one ``next()`` at a time.
///
/// Use an iterator from one thread at a time (it may be handed from one thread to another). After the
/// last element, and after an error, ``next()`` returns nil; the iterator then releases its upstream
/// stages at once. Dropping an iterator before the end stops the worker threads of its parallel and
/// prefetching stages and waits for them to finish the element in hand, so no thread outlives it.
public final class DatasetIterator<Element: Sendable>: @unchecked Sendable {
    private var produce: (() throws -> Element?)?
    private let stop: (() -> Void)?

    /// An iterator that calls `produce` for each element until it returns nil or throws; `stop` (which
    /// may be called more than once) ends any threads the iterator owns.
    init(_ produce: @escaping () throws -> Element?, stop: (() -> Void)? = nil) {
        self.produce = produce
        self.stop = stop
    }

    /// The next element, or nil at the end of the epoch.
    ///
    /// - Throws: the first error of any stage (a reader, a map closure, a batch of mismatched examples),
    ///   unchanged; the iterator is finished afterwards.
    public func next() throws -> Element? {
        guard let produce else { return nil }
        do {
            if let element = try produce() { return element }
            finish()
            return nil
        } catch {
            finish()
            throw error
        }
    }

    private func finish() {
        produce = nil
        stop?()
    }

    deinit { stop?() }
}
