import Foundation
import KouziTensor

/// How a deployment batches requests that arrive together.
public struct BatchingOptions: Sendable, Equatable {
    /// Rows in one forward pass at most (a larger request runs alone).
    public var maxBatchSize: Int
    /// How long the first request of a batch waits for company.
    public var maxDelay: Double
    /// Rows waiting at most; requests beyond it are refused (503) instead of queued.
    public var queueLimit: Int
    /// Seconds a request may wait for its turn before it is answered with a timeout (503).
    public var timeout: Double
    /// Rows one request may carry; larger ones are refused (413) before any work (a batch prediction job takes
    /// any number).
    public var maxRequestRows: Int

    public init(maxBatchSize: Int = 64, maxDelay: Double = 0.002, queueLimit: Int = 4096, timeout: Double = 10,
                maxRequestRows: Int = 4096) {
        self.maxBatchSize = maxBatchSize
        self.maxDelay = maxDelay
        self.queueLimit = queueLimit
        self.timeout = timeout
        self.maxRequestRows = maxRequestRows
    }
}

/// What a batched forward pass took, for the metrics.
public struct BatchTiming: Sendable {
    /// Seconds the request waited before its batch started.
    public var queued: Double
    /// Seconds the batch's forward pass took.
    public var compute: Double
}

/// Dynamic batching: requests queue; one thread takes as many as fit in `maxBatchSize` rows (waiting up to
/// `maxDelay` after the first for more), runs one forward pass over their rows stacked, and hands each request
/// its own rows of the output. Models act on rows independently in inference, so each answer is the one an
/// unbatched pass gives.
final class Batcher: @unchecked Sendable {
    private struct Pending {
        /// One tensor per model input, rows first.
        var x: [Tensor]
        var enqueued: Double
        var deliver: @Sendable (Result<([Tensor], BatchTiming), any Error>) -> Void
        var rows: Int { x.first?.shape.first ?? 0 }
    }

    let options: BatchingOptions
    private let forward: @Sendable ([Tensor]) throws -> [Tensor]
    private let onBatch: @Sendable (Int) -> Void
    private let condition = NSCondition()
    private var queue: [Pending] = []
    private var queuedRows = 0
    private var stopped = false
    /// Requests in the last forward pass: after a lone one, the next batch does not wait for company.
    private var lastBatchRequests = 0
    /// Whether a forward pass runs now (on the batcher's thread or a caller's).
    private var busy = false
    /// Seconds the last forward pass took: only a short pass runs on a caller's (shared, asynchronous) thread. Unknown
    /// (infinite) until the first pass, which runs on the batcher's thread: a model's first pass may be slow.
    private var lastCompute = Double.infinity
    static let inlineLimit = 0.002

    /// `onBatch` hears the rows of each forward pass.
    init(options: BatchingOptions, name: String, onBatch: @escaping @Sendable (Int) -> Void = { _ in },
         forward: @escaping @Sendable ([Tensor]) throws -> [Tensor]) {
        self.options = options
        self.forward = forward
        self.onBatch = onBatch
        let thread = Thread { [weak self] in self?.run() }
        thread.name = "kouzi-batcher-\(name)"
        thread.start()
    }

    /// Rows waiting now.
    var depth: Int { condition.withLock { queuedRows } }

    /// Queues `x` (one `[rows, …]` tensor per model input) and returns its rows of each output with the timing. A
    /// lone request (nothing queued or running, the last pass served one request and took under 2 ms) runs on the
    /// caller's thread at once: no hand-off to the batcher's thread and back.
    func submit(_ x: [Tensor]) async throws -> ([Tensor], BatchTiming) {
        let alone: Bool = condition.withLock {
            guard !stopped, !busy, queue.isEmpty, lastBatchRequests <= 1, lastCompute < Self.inlineLimit else { return false }
            busy = true
            return true
        }
        if alone {
            let started = Self.now()
            let result = Result { try forward(x) }
            let compute = Self.now() - started
            onBatch(x.first?.shape.first ?? 0)
            condition.withLock {
                busy = false
                lastBatchRequests = 1
                lastCompute = compute
                condition.signal()
            }
            return (try result.get(), BatchTiming(queued: 0, compute: compute))
        }
        return try await withCheckedThrowingContinuation { continuation in
            let pending = Pending(x: x, enqueued: Self.now()) { continuation.resume(with: $0) }
            let refused: (any Error)? = condition.withLock {
                if stopped { return PlatformError(.unavailable, code: "model_unloaded", "the model was unloaded") }
                guard queuedRows + pending.rows <= options.queueLimit || queue.isEmpty else {
                    return PlatformError(.unavailable, code: "queue_full",
                                         "the model's queue is full (\(queuedRows) rows waiting, limit \(options.queueLimit)); retry later")
                }
                queue.append(pending)
                queuedRows += pending.rows
                condition.signal()
                return nil
            }
            if let refused { continuation.resume(throwing: refused) }
        }
    }

    /// Stops the thread; waiting requests are refused.
    func stop() {
        let waiting: [Pending] = condition.withLock {
            stopped = true
            let all = queue
            queue = []
            queuedRows = 0
            condition.signal()
            return all
        }
        for p in waiting { p.deliver(.failure(PlatformError(.unavailable, code: "model_unloaded", "the model was unloaded"))) }
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    private func run() {
        while let batch = nextBatch() {
            let started = Self.now()
            let result = Result { () throws -> [Tensor] in
                guard batch.count > 1 else { return try forward(batch[0].x) }
                return try forward(batch[0].x.indices.map { k in Tensor.concatenate(batch.map { $0.x[k] }, axis: 0) })
            }
            let compute = Self.now() - started
            condition.withLock {
                busy = false
                lastCompute = compute
            }
            let rows = batch.reduce(0) { $0 + $1.rows }
            onBatch(rows)
            switch result {
            case let .success(output):
                var offset = 0
                for p in batch {
                    let timing = BatchTiming(queued: started - p.enqueued, compute: compute)
                    let rows = offset..<(offset + p.rows)
                    p.deliver(.success((batch.count == 1 ? output : output.map { $0.slice(axis: 0, rows) }, timing)))
                    offset += p.rows
                }
            case let .failure(error):
                for p in batch { p.deliver(.failure(error)) }
            }
        }
    }

    /// Waits for requests, then (when the last pass had several) for company up to `maxDelay`; returns whole
    /// requests of at most `maxBatchSize` rows (or one larger request alone), dropping those that waited past
    /// their timeout. Nil once stopped.
    private func nextBatch() -> [Pending]? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            // A caller's own pass may be running: what queues meanwhile goes in the next batch.
            while (queue.isEmpty || busy) && !stopped { condition.wait() }
            if stopped { return nil }
            // Wait for company only under concurrent load: a lone client's request runs at once.
            let deadline = queue[0].enqueued + (lastBatchRequests > 1 ? options.maxDelay : 0)
            while queuedRows < options.maxBatchSize && !stopped {
                let remaining = deadline - Self.now()
                if remaining <= 0 { break }
                _ = condition.wait(until: Date(timeIntervalSinceNow: remaining))
            }
            if stopped { return nil }
            let now = Self.now()
            var batch: [Pending] = [], rows = 0, kept: [Pending] = []
            for p in queue {
                if now - p.enqueued > options.timeout {
                    p.deliver(.failure(PlatformError(.unavailable, code: "timeout",
                                                     "the request waited \(String(format: "%.1f", now - p.enqueued)) s for the model, over the \(options.timeout) s limit")))
                    queuedRows -= p.rows
                } else if batch.isEmpty || rows + p.rows <= options.maxBatchSize {
                    batch.append(p)
                    rows += p.rows
                    queuedRows -= p.rows
                } else {
                    kept.append(p)
                }
            }
            queue = kept
            if !batch.isEmpty {
                lastBatchRequests = batch.count
                busy = true
                return batch
            }
        }
    }
}
