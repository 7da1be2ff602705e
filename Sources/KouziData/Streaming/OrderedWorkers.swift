import Foundation
import KouziBase

/// Applies a transform to the elements of an upstream iterator on worker threads and hands the results
/// out in upstream order.
///
/// Workers take turns reading upstream (one reads at a time, numbering the elements), then transform
/// their element concurrently and leave the result under its number. At most `window` elements are read
/// and not yet handed out, which bounds memory and blocks the workers when the consumer falls behind.
/// The first error, upstream or in the transform, is handed out in its place in the order, and nothing
/// after it is read. ``stop()`` wakes every worker, waits for each to finish the element in hand and
/// releases the upstream iterator. Prefetching is the case of one worker and the identity transform.
final class OrderedWorkers<Input: Sendable, Output: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private let transform: @Sendable (Input, Int) throws -> Output
    private let workerCount: Int
    private let window: Int
    private let name: String
    // Guarded by `condition`:
    private var upstream: DatasetIterator<Input>?
    private var results: [Int: Result<Output, any Error>] = [:]
    private var claimed = 0
    private var delivered = 0
    private var end: Int?
    private var reading = false
    private var started = false
    private var stopped = false
    private var running = 0

    /// - Parameters:
    ///   - transform: called with each element and its position in the epoch.
    ///   - workers: threads, at least 1.
    ///   - window: elements read and not yet handed out, at least `workers`.
    init(_ upstream: DatasetIterator<Input>, workers: Int, window: Int, name: String,
         transform: @escaping @Sendable (Input, Int) throws -> Output) {
        self.upstream = upstream
        self.workerCount = workers
        self.window = Swift.max(window, workers)
        self.name = name
        self.transform = transform
    }

    /// An iterator over the results that stops the workers when it ends or is dropped.
    static func iterator(_ upstream: DatasetIterator<Input>, workers: Int, window: Int, name: String,
                         transform: @escaping @Sendable (Input, Int) throws -> Output) -> DatasetIterator<Output> {
        let stage = OrderedWorkers(upstream, workers: workers, window: window, name: name, transform: transform)
        return DatasetIterator(stage.next, stop: stage.stop)
    }

    /// The next result in upstream order, or nil at the end; starts the workers on the first call.
    func next() throws -> Output? {
        condition.lock()
        defer { condition.unlock() }
        if !started { startWorkers() }
        while true {
            if let result = results.removeValue(forKey: delivered) {
                delivered += 1
                condition.broadcast()
                return try result.get()
            }
            if let end, delivered >= end { return nil }
            if stopped { return nil }
            // A consumer asked to stop (a cancelled job waiting for its first shuffled batch) stops waiting.
            try StopRequest.check()
            _ = condition.wait(until: Date(timeIntervalSinceNow: 0.05))
        }
    }

    /// Stops the workers, waits until each has exited and releases upstream; safe to call again.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        let released = upstream
        upstream = nil
        results.removeAll()
        condition.unlock()
        withExtendedLifetime(released) {}  // the upstream stages stop here, outside the lock
    }

    private func startWorkers() {
        started = true
        running = workerCount
        for i in 0..<workerCount {
            DatasetThreads.start(name: "\(name)-\(i + 1)") { [self] in work() }
        }
    }

    private func work() {
        condition.lock()
        while !stopped && end == nil {
            if reading || claimed - delivered >= window {
                condition.wait()
                continue
            }
            guard let source = upstream else { break }
            reading = true
            let index = claimed
            claimed += 1
            condition.unlock()
            let input = Result { try source.next() }
            condition.lock()
            reading = false
            condition.broadcast()
            switch input {
            case .success(nil):
                end = Swift.min(end ?? index, index)
            case .failure(let error):
                finish(at: index, with: .failure(error))
            case .success(let element?):
                if stopped { break }
                condition.unlock()
                let output = Result { try transform(element, index) }
                condition.lock()
                finish(at: index, with: output)
            }
        }
        DatasetThreads.exiting()
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Leaves the result of element `index`; after an error, no element past it is read.
    private func finish(at index: Int, with result: Result<Output, any Error>) {
        results[index] = result
        if case .failure = result { end = Swift.min(end ?? index + 1, index + 1) }
        condition.broadcast()
    }
}
