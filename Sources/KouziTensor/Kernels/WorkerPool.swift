import CKernels
import Dispatch
import Foundation
import Synchronization

/// A tiny pool of persistent worker threads for splitting one kernel call across cores.
///
/// Kernels in a training step last tens of microseconds, so the hand-off must cost far less than
/// that: an idle worker spins on an atomic for a while (about 0.2 ms) before parking on a
/// semaphore. A job is split into `parts`; the calling thread runs part 0 and workers the rest.
/// One job runs at a time (calls from several threads are serialised).
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool(workers: Swift.max(0, CPUBackend.hardwareThreads - 1))

    private enum State: Int {
        case idle = 0, work = 1, parked = 2
    }

    private final class Worker: @unchecked Sendable {
        let state = Atomic<Int>(State.idle.rawValue)
        let done = Atomic<Bool>(true)
        let wake = DispatchSemaphore(value: 0)
        var part = 0
    }

    private let workers: [Worker]
    private let submitLock = Mutex(())
    nonisolated(unsafe) private var job: ((Int) -> Void)?

    init(workers count: Int) {
        workers = (0..<count).map { _ in Worker() }
        for (i, w) in workers.enumerated() {
            let pool = UncheckedSendable(self)
            let thread = Thread { pool.value.run(w) }
            thread.name = "kouzi-worker-\(i + 1)"
            thread.start()
        }
    }

    var workerCount: Int { workers.count }

    /// Runs `body(0..<parts)`, part 0 on the calling thread.
    func run(parts: Int, _ body: (Int) -> Void) {
        let extra = Swift.min(parts - 1, workers.count)
        if extra <= 0 {
            for p in 0..<parts { body(p) }
            return
        }
        submitLock.withLock { _ in
            withoutActuallyEscaping(body) { escaping in
                job = escaping
                for i in 0..<extra {
                    let w = workers[i]
                    w.part = i + 1
                    w.done.store(false, ordering: .relaxed)
                    let previous = w.state.exchange(State.work.rawValue, ordering: .acquiringAndReleasing)
                    if previous == State.parked.rawValue { w.wake.signal() }
                }
                body(0)
                // Parts beyond the workers run here too.
                for p in (extra + 1)..<Swift.max(parts, extra + 1) { body(p) }
                for i in 0..<extra {
                    while !workers[i].done.load(ordering: .acquiring) { spinHint() }
                }
                job = nil
            }
        }
    }

    private func run(_ w: Worker) {
        while true {
            var spins = 0
            while w.state.load(ordering: .acquiring) != State.work.rawValue {
                spins += 1
                if spins < 200_000 { spinHint(); continue }
                // Park unless work arrived in the meantime.
                let (parked, _) = w.state.compareExchange(expected: State.idle.rawValue, desired: State.parked.rawValue,
                                                          ordering: .acquiringAndReleasing)
                if parked { w.wake.wait() }
                spins = 0
            }
            job?(w.part)
            w.state.store(State.idle.rawValue, ordering: .releasing)
            w.done.store(true, ordering: .releasing)
        }
    }
}

@inline(__always)
func spinHint() { kz_pause() }
