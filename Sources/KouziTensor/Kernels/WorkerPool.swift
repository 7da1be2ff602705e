import CKernels
import Dispatch
import Foundation
import Synchronization

/// A tiny pool of persistent worker threads for splitting one kernel call across cores.
///
/// Kernels in a training step last tens of microseconds, so the hand-off must cost far less than
/// that. A job is cut into `parts`; the calling thread and the workers claim parts from an atomic
/// counter, so the caller never waits for a worker that has not started (when a worker is
/// descheduled, the caller simply runs its parts too). An idle worker spins for
/// ``spinNanoseconds`` before parking on a semaphore. One job runs at a time; a call made while a
/// job is running (from another thread, or from inside a part) runs its parts serially.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool(workers: Swift.max(0, CPUBackend.hardwareThreads - 1))

    /// How long an idle worker spins before it parks (covers the gaps between kernels of a step).
    static let spinNanoseconds: UInt64 = 200_000

    private final class Worker: @unchecked Sendable {
        /// 1 while parked (or about to park) on `wake`.
        let parked = Atomic<Int>(0)
        let wake = DispatchSemaphore(value: 0)
    }

    private let workers: [Worker]
    private let busy = Mutex(false)
    private let generation = Atomic<Int>(0)
    private let next = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    nonisolated(unsafe) private var parts = 0
    nonisolated(unsafe) private var job: ((Int) -> Void)?

    init(workers count: Int) {
        workers = (0..<count).map { _ in Worker() }
        for (i, w) in workers.enumerated() {
            let pool = UncheckedSendable(self)
            let thread = Thread { pool.value.workerLoop(w) }
            thread.name = "kouzi-worker-\(i + 1)"
            thread.start()
        }
    }

    /// Runs `body(0..<parts)` on the calling thread and the workers; returns when all parts are done.
    func run(parts count: Int, _ body: (Int) -> Void) {
        let acquired = busy.withLock { b -> Bool in
            if b { return false }
            b = true
            return true
        }
        guard acquired, count > 1, !workers.isEmpty else {
            for p in 0..<count { body(p) }
            if acquired { busy.withLock { $0 = false } }
            return
        }
        withoutActuallyEscaping(body) { escaping in
            job = escaping
            parts = count
            finished.store(0, ordering: .sequentiallyConsistent)
            next.store(0, ordering: .sequentiallyConsistent)
            generation.add(1, ordering: .sequentiallyConsistent)
            for w in workers where w.parked.exchange(0, ordering: .sequentiallyConsistent) == 1 {
                w.wake.signal()
            }
            drain()
            var spins = 0
            while finished.load(ordering: .acquiring) < count {
                spins += 1
                if spins & 1023 == 0 { sched_yield() } else { kz_pause() }
            }
            job = nil
        }
        busy.withLock { $0 = false }
    }

    /// Claims and runs parts until none is left.
    private func drain() {
        while true {
            let i = next.add(1, ordering: .sequentiallyConsistent).oldValue
            guard i < parts else { return }
            runPart(i)
            finished.add(1, ordering: .releasing)
        }
    }

    /// Runs one part. Kept out of line so the reference to the job is released before the part is
    /// counted as finished (the caller's closure must not outlive `run`).
    @inline(never)
    private func runPart(_ i: Int) { job?(i) }

    private func workerLoop(_ w: Worker) {
        var seen = generation.load(ordering: .acquiring)
        while true {
            var spins = 0
            var deadline = DispatchTime.now().uptimeNanoseconds + WorkerPool.spinNanoseconds
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                kz_pause()
                if spins & 63 != 0 || DispatchTime.now().uptimeNanoseconds < deadline { continue }
                w.parked.store(1, ordering: .sequentiallyConsistent)
                if generation.load(ordering: .sequentiallyConsistent) != seen {
                    // Work arrived while parking: if the caller already took the flag, it also signalled.
                    if w.parked.exchange(0, ordering: .sequentiallyConsistent) == 0 { w.wake.wait() }
                } else {
                    w.wake.wait()
                }
                deadline = DispatchTime.now().uptimeNanoseconds + WorkerPool.spinNanoseconds
            }
            seen = generation.load(ordering: .acquiring)
            drain()
        }
    }
}
