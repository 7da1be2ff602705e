import Foundation

/// One minute of a deployment's traffic.
public struct TrafficMinute: Codable, Sendable, Equatable {
    /// The minute's start, milliseconds since 1970.
    public var minute: Int64
    public var requests: Int
    public var errors: Int
    /// Request latency percentiles and mean, seconds (nil without successful requests).
    public var p50: Double?
    public var p90: Double?
    public var p99: Double?
    public var mean: Double?
    /// Mean time in the batching queue, seconds.
    public var queueMean: Double?
    /// Mean rows per forward pass.
    public var batchMean: Double?

    public init(minute: Int64, requests: Int, errors: Int, p50: Double? = nil, p90: Double? = nil, p99: Double? = nil,
                mean: Double? = nil, queueMean: Double? = nil, batchMean: Double? = nil) {
        self.minute = minute
        self.requests = requests
        self.errors = errors
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.mean = mean
        self.queueMean = queueMean
        self.batchMean = batchMean
    }
}

/// Each deployment's traffic per minute: requests, failures, latency percentiles (exact up to 4,096 successful
/// requests a minute, from a uniform sample beyond), queue time and batch sizes. Minutes are summarised in memory
/// and written to `traffic_minutes` a few seconds after they change (one row per deployment, minute and process;
/// reading adds the processes up). Rows older than `retentionDays` are deleted.
public final class TrafficRecorder: @unchecked Sendable {
    struct Bucket {
        var minute: Int64
        var requests = 0, errors = 0
        var latencies: [Double] = []
        var latencySum = 0.0, queueSum = 0.0
        var batches = 0, batchRows = 0
        var dirty = false

        init(minute: Int64) { self.minute = minute }

        mutating func add(latency: Double, queued: Double) {
            requests += 1
            latencySum += latency
            queueSum += queued
            let successes = requests - errors
            if latencies.count < TrafficRecorder.sampleSize {
                latencies.append(latency)
            } else {
                let slot = Int.random(in: 0..<successes)
                if slot < latencies.count { latencies[slot] = latency }
            }
        }

        var summary: TrafficMinute {
            let sorted = latencies.sorted()
            let successes = requests - errors
            func q(_ p: Double) -> Double? {
                guard !sorted.isEmpty else { return nil }
                return sorted[min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))]
            }
            return TrafficMinute(minute: minute, requests: requests, errors: errors, p50: q(0.5), p90: q(0.9), p99: q(0.99),
                                 mean: successes > 0 ? latencySum / Double(successes) : nil,
                                 queueMean: successes > 0 ? queueSum / Double(successes) : nil,
                                 batchMean: batches > 0 ? Double(batchRows) / Double(batches) : nil)
        }
    }

    static let sampleSize = 4096
    /// How long after a change a minute is written.
    let flushDelay: Duration
    let retentionDays: Int64 = 7
    let store: any Store
    /// This process's name in the rows it writes.
    let process: String
    private let lock = NSLock()
    private var buckets: [String: [Bucket]] = [:]
    private var scheduled = false
    private var lastPrune: Int64 = 0

    public init(store: any Store, process: String = "\(ProcessInfo.processInfo.hostName)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))",
         flushDelay: Duration = .seconds(5)) {
        self.store = store
        self.process = process
        self.flushDelay = flushDelay
    }

    static func minute(_ millis: Int64) -> Int64 { millis / 60_000 * 60_000 }

    private func change(_ name: String, at millis: Int64, _ body: (inout Bucket) -> Void) {
        let minute = Self.minute(millis)
        let schedule: Bool = lock.withLock {
            var list = buckets[name] ?? []
            if let index = list.lastIndex(where: { $0.minute == minute }) {
                body(&list[index])
                list[index].dirty = true
            } else {
                var bucket = Bucket(minute: minute)
                body(&bucket)
                bucket.dirty = true
                list.append(bucket)
            }
            buckets[name] = list
            defer { scheduled = true }
            return !scheduled
        }
        guard schedule else { return }
        Task.detached { [self] in
            try? await Task.sleep(for: flushDelay)
            try? await flush()
        }
    }

    /// A successful request: its latency and time in the queue, seconds.
    public func success(_ name: String, latency: Double, queued: Double, at millis: Int64 = Clock.nowMillis()) {
        change(name, at: millis) { $0.add(latency: latency, queued: queued) }
    }

    /// A failed request.
    public func failure(_ name: String, at millis: Int64 = Clock.nowMillis()) {
        change(name, at: millis) { bucket in
            bucket.requests += 1
            bucket.errors += 1
        }
    }

    /// A forward pass of `rows` rows.
    public func batch(_ name: String, rows: Int, at millis: Int64 = Clock.nowMillis()) {
        change(name, at: millis) { bucket in
            bucket.batches += 1
            bucket.batchRows += rows
        }
    }

    /// Writes the minutes that changed since the last write, and forgets minutes that can no longer change.
    public func flush(now: Int64 = Clock.nowMillis()) async throws {
        let current = Self.minute(now)
        let (changed, prune): ([(String, TrafficMinute)], Bool) = lock.withLock {
            var changed: [(String, TrafficMinute)] = []
            for (name, list) in buckets {
                var kept: [Bucket] = []
                for var bucket in list {
                    if bucket.dirty { changed.append((name, bucket.summary)); bucket.dirty = false }
                    // The minute before this one may still get a late request; older ones are done.
                    if bucket.minute >= current - 60_000 { kept.append(bucket) }
                }
                buckets[name] = kept.isEmpty ? nil : kept
            }
            scheduled = false
            let prune = now - lastPrune > 3_600_000
            if prune { lastPrune = now }
            return (changed, prune)
        }
        guard !changed.isEmpty || prune else { return }
        let process = self.process, cutoff = now - retentionDays * 86_400_000
        try await store.write { tx in
            for (name, m) in changed {
                try await tx.execute("""
                    INSERT INTO traffic_minutes (deployment_name, minute, process, requests, errors, p50, p90, p99, mean_latency,
                        queue_mean, batch_mean) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (deployment_name, minute, process) DO UPDATE SET requests = excluded.requests,
                        errors = excluded.errors, p50 = excluded.p50, p90 = excluded.p90, p99 = excluded.p99,
                        mean_latency = excluded.mean_latency, queue_mean = excluded.queue_mean, batch_mean = excluded.batch_mean
                    """, name, m.minute, process, m.requests, m.errors, m.p50, m.p90, m.p99, m.mean, m.queueMean, m.batchMean)
            }
            if prune { try await tx.execute("DELETE FROM traffic_minutes WHERE minute < ?", cutoff) }
        }
    }

    /// The deployment's minutes from `since` (milliseconds) on, oldest first, over all processes: counts add up;
    /// percentiles and means are averaged with the processes' request counts as weights (exact with one process).
    /// Minutes without traffic are left out.
    public func minutes(_ name: String, since: Int64) async throws -> [TrafficMinute] {
        let rows = try await store.read { tx in
            try await tx.query("SELECT * FROM traffic_minutes WHERE deployment_name = ? AND minute >= ? ORDER BY minute",
                               name, Self.minute(since))
        }
        var result: [TrafficMinute] = []
        // Successful requests behind the last minute's averages so far.
        var weight = 0.0
        func merge(_ a: Double?, _ wa: Double, _ b: Double?, _ wb: Double) -> Double? {
            guard let b, wb > 0 else { return a }
            guard let a, wa > 0 else { return b }
            return (a * wa + b * wb) / (wa + wb)
        }
        for row in rows {
            let optional = { (column: String) -> Double? in
                if case .null = row[column] { return nil }
                return try? row.double(column)
            }
            let minute = try row.int("minute"), requests = Int(try row.int("requests")), errors = Int(try row.int("errors"))
            let successes = Double(requests - errors)
            let m = TrafficMinute(minute: minute, requests: requests, errors: errors, p50: optional("p50"), p90: optional("p90"),
                                  p99: optional("p99"), mean: optional("mean_latency"), queueMean: optional("queue_mean"),
                                  batchMean: optional("batch_mean"))
            if var last = result.last, last.minute == minute {
                let wa = weight
                last.p50 = merge(last.p50, wa, m.p50, successes)
                last.p90 = merge(last.p90, wa, m.p90, successes)
                last.p99 = merge(last.p99, wa, m.p99, successes)
                last.mean = merge(last.mean, wa, m.mean, successes)
                last.queueMean = merge(last.queueMean, wa, m.queueMean, successes)
                last.batchMean = merge(last.batchMean, Double(last.requests), m.batchMean, Double(requests))
                last.requests += requests
                last.errors += errors
                weight = wa + successes
                result[result.count - 1] = last
            } else {
                result.append(m)
                weight = successes
            }
        }
        return result
    }

    /// Forgets a deployment (undeployed), here and in the database.
    public func forget(_ name: String) async throws {
        lock.withLock { buckets[name] = nil }
        try await store.write { tx in try await tx.execute("DELETE FROM traffic_minutes WHERE deployment_name = ?", name) }
    }
}
