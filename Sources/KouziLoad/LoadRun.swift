import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a closed-loop run is asked to do.
struct LoadPlan {
    var host: String
    var port: Int
    /// The request as sent, head and body, the same for every request.
    var request: [UInt8]
    var connections: Int
    /// Seconds before measuring starts (connections open, caches fill), and seconds measured.
    var warmup: Double, duration: Double
}

/// What the connections saw in the measured window.
struct LoadResult {
    /// 2xx answers that completed in the window, and their latencies in nanoseconds.
    var latencies: [UInt64] = []
    /// Answers with another status, and socket failures (connect, send, receive, framing), in the window.
    var httpErrors = 0, socketErrors = 0
    /// Count of each status seen in the window.
    var statuses: [Int: Int] = [:]
    /// The first socket failure, to report.
    var firstSocketError: String?
}

/// Closed-loop load: each connection runs on its own thread and sends its next request as soon as the answer to
/// the previous one arrives. Requests that complete inside [warm-up end, warm-up end + duration] are counted.
enum LoadRun {
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    static func run(_ plan: LoadPlan) -> LoadResult {
        let start = now()
        let windowStart = start + UInt64(plan.warmup * 1e9)
        let windowEnd = windowStart + UInt64(plan.duration * 1e9)
        let workers = (0..<plan.connections).map { _ in Worker(plan: plan, windowStart: windowStart, windowEnd: windowEnd) }
        let group = DispatchGroup()
        for (i, worker) in workers.enumerated() {
            group.enter()
            let thread = Thread {
                worker.run()
                group.leave()
            }
            thread.name = "kouzi-load-\(i)"
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        var total = LoadResult()
        for worker in workers {
            total.latencies += worker.result.latencies
            total.httpErrors += worker.result.httpErrors
            total.socketErrors += worker.result.socketErrors
            total.statuses.merge(worker.result.statuses, uniquingKeysWith: +)
            total.firstSocketError = total.firstSocketError ?? worker.result.firstSocketError
        }
        return total
    }
}

/// One connection's loop and its own tally (read only after its thread has finished).
private final class Worker: @unchecked Sendable {
    let plan: LoadPlan
    let windowStart: UInt64, windowEnd: UInt64
    var result = LoadResult()

    init(plan: LoadPlan, windowStart: UInt64, windowEnd: UInt64) {
        self.plan = plan
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        result.latencies.reserveCapacity(Int(min(plan.duration, 600) * 20_000) / max(plan.connections, 1))
    }

    func run() {
        let connection = Connection(host: plan.host, port: plan.port)
        while LoadRun.now() < windowEnd {
            let sent = LoadRun.now()
            do {
                let status = try connection.exchange(plan.request)
                let done = LoadRun.now()
                guard done >= windowStart && done <= windowEnd else { continue }
                result.statuses[status, default: 0] += 1
                if (200..<300).contains(status) { result.latencies.append(done - sent) } else { result.httpErrors += 1 }
            } catch {
                let done = LoadRun.now()
                if done >= windowStart && done <= windowEnd {
                    result.socketErrors += 1
                    result.firstSocketError = result.firstSocketError ?? "\(error)"
                }
                // Do not spin on a server that refuses connections.
                usleep(10_000)
            }
        }
        connection.close()
    }
}
