import KouziBase
import Foundation
import Logging
import Synchronization

/// How a worker takes and keeps jobs.
public struct JobRunnerOptions: Sendable {
    /// Jobs run at once by this process (0: none; the process only serves).
    public var concurrency: Int
    /// Seconds between heartbeats of a running job.
    public var heartbeatInterval: Double
    /// Seconds without a heartbeat after which a running job counts as abandoned and is queued again.
    public var heartbeatTimeout: Double
    /// Seconds between looks at an empty queue.
    public var pollInterval: Double
    /// This worker's name in job rows and logs.
    public var workerName: String

    public init(concurrency: Int = 1, heartbeatInterval: Double = 2, heartbeatTimeout: Double = 30, pollInterval: Double = 0.5,
                workerName: String? = nil) {
        self.concurrency = concurrency
        self.heartbeatInterval = heartbeatInterval
        self.heartbeatTimeout = heartbeatTimeout
        self.pollInterval = pollInterval
        self.workerName = workerName ?? "\(ProcessInfo.processInfo.hostName)-\(getpid())-\(UUID().uuidString.prefix(8).lowercased())"
    }
}

/// Takes jobs from the queue and runs them until it is shut down; `kouzi serve` runs one in-process and
/// `kouzi worker` runs one on its own against a shared PostgreSQL.
///
/// Each slot loops: queue abandoned jobs again, claim the oldest queued job, run it while a heartbeat task keeps
/// the claim alive (and reads cancellation), record the outcome. At shutdown (``beginShutdown()``, or the task
/// cancelled) a job in progress stops at its next step and goes back to the queue, to resume from its last
/// checkpoint; when the task is cancelled, a job whose work has not stopped is given back without waiting for it.
public final class JobRunner: Sendable {
    let platform: Platform
    public let options: JobRunnerOptions
    let logger: Logger
    private let shuttingDown = Mutex(false)

    public init(platform: Platform, options: JobRunnerOptions, logger: Logger) {
        self.platform = platform
        self.options = options
        self.logger = logger
    }

    /// Runs the worker slots until ``beginShutdown()`` or until the surrounding task is cancelled.
    public func run() async {
        guard options.concurrency > 0 else { return }
        logger.info("job worker started", metadata: ["worker": "\(options.workerName)", "slots": "\(options.concurrency)"])
        await withTaskGroup(of: Void.self) { group in
            for slot in 0..<options.concurrency {
                group.addTask { await self.loop(slot: slot) }
            }
        }
        logger.info("job worker stopped", metadata: ["worker": "\(options.workerName)"])
    }

    /// Takes no more jobs and asks the running ones to stop at their next step; they go back to the queue, to
    /// resume from their last checkpoint. ``run()`` returns once they have stopped.
    public func beginShutdown() {
        shuttingDown.withLock { $0 = true }
        platform.jobs.running.stopAll(.shutdown)
    }

    private var isShuttingDown: Bool { shuttingDown.withLock { $0 } || Task.isCancelled }

    private func loop(slot: Int) async {
        let jobs = platform.jobs
        while !isShuttingDown {
            do {
                if slot == 0 { try await jobs.requeueStale(timeoutMillis: Int64(options.heartbeatTimeout * 1000)) }
                if !isShuttingDown, let job = try await jobs.claim(worker: options.workerName) {
                    await execute(job)
                    continue
                }
            } catch is CancellationError {
                return
            } catch {
                logger.error("job queue unavailable", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(nanoseconds: UInt64(options.pollInterval * 1e9))
        }
    }

    /// Runs one claimed job with a heartbeat beside it and records how it ended.
    func execute(_ job: Job) async {
        let control = JobControl()
        let jobs = platform.jobs
        let worker = options.workerName
        let interval = options.heartbeatInterval
        let heartbeat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
                guard let answer = try? await jobs.heartbeat(jobID: job.id, worker: worker, progress: control.takeProgress()) else { continue }
                if answer.cancel { control.requestStop(.cancelled) }
                if !answer.owned { control.requestStop(.lost) }
            }
        }
        defer { heartbeat.cancel() }
        jobs.running.add(job, control)
        defer { jobs.running.remove(job.id) }
        logger.info("job started", metadata: ["job": "\(job.id)", "kind": "\(job.kind.rawValue)", "attempt": "\(job.attempts)"])
        let outcome: JobOutcome
        do {
            outcome = try await withTaskCancellationHandler {
                switch job.kind {
                case .train: return try await train(job, control: control)
                case .evaluate: return try await evaluate(job, control: control)
                case .explain: return try await explain(job, control: control)
                case .tune: return try await tune(job, control: control)
                case .predict: return try await predict(job, control: control)
                }
            } onCancel: {
                control.requestStop(.shutdown)
            }
        } catch {
            outcome = JobOutcome(state: .failed, error: "\(error)")
        }
        let finalState: JobState
        switch control.stopReason {
        case .shutdown?:
            // This task is cancelled, and storage calls refuse cancelled tasks: hand the job back from a fresh one.
            await Task.detached { try? await jobs.release(jobID: job.id, worker: worker) }.value
            logger.info("job released at shutdown", metadata: ["job": "\(job.id)"])
            return
        case .lost?:
            logger.warning("job taken over by another worker", metadata: ["job": "\(job.id)"])
            return
        case .cancelled?:
            finalState = .cancelled
        case nil:
            finalState = outcome.state
        }
        let status = finalState == .succeeded ? "FINISHED" : finalState == .cancelled ? "KILLED" : "FAILED"
        let message = finalState == .cancelled ? "cancelled" : outcome.error.map { "failed: \($0)" } ?? "succeeded"
        _ = try? await jobs.finish(jobID: job.id, worker: worker, state: finalState, result: outcome.result,
                                   error: finalState == .cancelled ? nil : outcome.error,
                                   modelID: outcome.modelID, modelVersion: outcome.modelVersion,
                                   logLine: message, run: job.runID.map { ($0, status) })
        // A search's trials keep their model and checkpoints until the search picks the best and promotes survivors.
        if job.parentID == nil { try? FileManager.default.removeItem(at: workDirectory(job.id)) }
        logger.info("job finished", metadata: ["job": "\(job.id)", "state": "\(finalState.rawValue)"])
    }

    /// Where a job keeps its checkpoints and unpacked inputs (removed when it finishes).
    func workDirectory(_ jobID: Int64) -> URL {
        platform.configuration.dataDirectory.appendingPathComponent("jobs/job-\(jobID)", isDirectory: true)
    }
}

/// How a job's run ended, before it is written back.
struct JobOutcome: Sendable {
    var state: JobState
    var result: String? = nil
    var error: String? = nil
    var modelID: Int64? = nil
    var modelVersion: Int64? = nil
}

/// Shared between a job's compute thread and its heartbeat: the latest progress and whether to stop.
final class JobControl: @unchecked Sendable {
    enum StopReason { case cancelled, lost, shutdown }
    private let lock = NSLock()
    private var progress: String?
    private var reason: StopReason?

    func setProgress(_ text: String) { lock.withLock { progress = text } }
    func takeProgress() -> String? { lock.withLock { defer { progress = nil }; return progress } }
    func requestStop(_ why: StopReason) { lock.withLock { if reason == nil { reason = why } } }
    var stopReason: StopReason? { lock.withLock { reason } }
    var shouldStop: Bool { stopReason != nil }
}

/// The controls of the jobs running in this process, by job id, with the search each trial belongs to.
final class RunningJobs: @unchecked Sendable {
    private let lock = NSLock()
    private var controls: [Int64: (parent: Int64?, control: JobControl)] = [:]

    func add(_ job: Job, _ control: JobControl) { lock.withLock { controls[job.id] = (job.parentID, control) } }
    func remove(_ jobID: Int64) { _ = lock.withLock { controls.removeValue(forKey: jobID) } }

    /// Stops every job running here.
    func stopAll(_ why: JobControl.StopReason) { stop(why) { _, _ in true } }

    /// Stops the job and its trials, when they run here.
    func stop(_ jobID: Int64, _ why: JobControl.StopReason) { stop(why) { id, parent in id == jobID || parent == jobID } }

    private func stop(_ why: JobControl.StopReason, where matches: (Int64, Int64?) -> Bool) {
        let matching = lock.withLock { controls.filter { matches($0.key, $0.value.parent) }.map(\.value.control) }
        for control in matching { control.requestStop(why) }
    }
}

/// Runs blocking work on a thread of its own (training holds a core for minutes; the async pool must not wait).
/// With a `control`, the work's loops see its stop request through ``StopRequest/check()``. When the calling task
/// is cancelled, this returns at once with `CancellationError` and leaves the thread to finish on its own.
func onThread<T: Sendable>(_ name: String, control: JobControl? = nil, _ work: @escaping @Sendable () throws -> T) async throws -> T {
    let answer = AnswerOnce<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            answer.wait(continuation)
            let thread = Thread {
                answer.resume(with: Result {
                    guard let control else { return try work() }
                    return try StopRequest.whilePolling({ control.shouldStop }, work)
                })
            }
            thread.name = name
            thread.stackSize = 16 << 20
            thread.start()
        }
    } onCancel: {
        control?.requestStop(.shutdown)
        answer.resume(with: .failure(CancellationError()))
    }
}

/// A continuation resumed by whichever comes first: the answer or the cancellation.
private final class AnswerOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var early: Result<T, any Error>?
    private var done = false

    func wait(_ continuation: CheckedContinuation<T, any Error>) {
        let ready: Result<T, any Error>? = lock.withLock {
            if let early { done = true; return early }
            self.continuation = continuation
            return nil
        }
        if let ready { continuation.resume(with: ready) }
    }

    func resume(with result: Result<T, any Error>) {
        let waiting: CheckedContinuation<T, any Error>? = lock.withLock {
            guard !done else { return nil }
            guard let continuation else { early = early ?? result; return nil }
            done = true
            self.continuation = nil
            return continuation
        }
        waiting?.resume(with: result)
    }
}

/// Waits for async work from a plain thread (a compute thread writing metrics between epochs, a command line's
/// synchronous entry point). Never call it from a task of the async pool: it blocks its thread.
public func blockingWait<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let semaphore = DispatchSemaphore(value: 0)
    let box = ResultBox<T>()
    Task {
        box.set(await Result(catching: { try await work() }))
        semaphore.signal()
    }
    semaphore.wait()
    return try box.get()
}

private final class ResultBox<T: Sendable>: @unchecked Sendable {
    private var value: Result<T, any Error>?
    func set(_ v: Result<T, any Error>) { value = v }
    func get() throws -> T { try value!.get() }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
