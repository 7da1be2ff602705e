import Foundation
import KouziTraining

/// The queue operations workers use: claim, heartbeat, requeue, finish, log.
///
/// A claim takes the oldest queued job in one transaction; on PostgreSQL the row is selected `FOR UPDATE SKIP
/// LOCKED`, so workers in several processes never take the same job and never wait on each other. A running
/// job belongs to the worker named in its row for as long as that worker's heartbeats arrive; a job whose
/// heartbeat is older than the timeout is queued again (up to its maximum attempts) and the next worker resumes
/// it from its last checkpoint.
extension JobService {
    /// Takes the oldest queued job (of the search `parentID`, when given) for `worker`, marks it running and opens
    /// its tracking run on the first attempt.
    func claim(worker: String, parentID: Int64? = nil) async throws -> Job? {
        try await store.write { tx in
            let skipLocked = tx.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
            guard let row = try await tx.first("""
                SELECT id FROM jobs WHERE state = 'queued' AND (? = 0 OR parent_id = ?) ORDER BY id LIMIT 1
                """ + skipLocked, parentID ?? 0, parentID ?? 0) else {
                return nil
            }
            let id = try row.int("id")
            let now = Clock.nowMillis()
            try await tx.execute("""
                UPDATE jobs SET state = 'running', worker = ?, heartbeat_at = ?, attempts = attempts + 1,
                    started_at = COALESCE(started_at, ?), updated_at = ? WHERE id = ?
                """, worker, now, now, now, id)
            var job = try Job(row: try await tx.first("SELECT * FROM jobs WHERE id = ?", id)!)
            if job.runID == nil {
                let experimentID = try await tracking.experimentID(tx, projectID: job.projectID, name: job.experiment)
                let parameters = (try? Self.parameters(of: job, catalogue: catalogue)) ?? [:]
                let runID = try await tracking.createRun(tx, projectID: job.projectID, experimentID: experimentID,
                                                         name: "\(job.kind.rawValue)-\(job.id)", userID: job.createdBy,
                                                         startTime: now, params: parameters,
                                                         tags: ["kouzi.job": String(job.id), "kouzi.kind": job.kind.rawValue])
                try await tx.execute("UPDATE jobs SET run_id = ? WHERE id = ?", runID, id)
                job.runID = runID
            }
            try await Self.appendLog(tx, jobID: id, "attempt \(job.attempts) started on worker \(worker)")
            return job
        }
    }

    /// The run parameters of a job: a training plan's settings, or the model and data an evaluation scores.
    static func parameters(of job: Job, catalogue: TrainingCatalogue) throws -> [String: String] {
        switch job.kind {
        case .train:
            let submission = try job.submission(as: TrainingSubmission.self)
            var p = try TrainingPlan(submission.request, catalogue: catalogue).parameters
            p["dataset"] = "\(job.dataset.id)/\(job.dataset.version)"
            return p
        case .evaluate, .tune, .predict, .explain:
            return ["dataset": "\(job.dataset.id)/\(job.dataset.version)", "model": job.modelName ?? "",
                    "model_version": job.modelVersion.map(String.init) ?? ""]
        }
    }

    /// Records that `worker` is alive and how far the job got. Returns whether the worker should go on: false
    /// when cancellation was asked for or the job is no longer this worker's.
    func heartbeat(jobID: Int64, worker: String, progress: String?) async throws -> (owned: Bool, cancel: Bool) {
        try await store.write { tx in
            let now = Clock.nowMillis()
            try await tx.execute("""
                UPDATE jobs SET heartbeat_at = ?, progress = COALESCE(?, progress), updated_at = ?
                WHERE id = ? AND worker = ? AND state = 'running'
                """, now, progress, now, jobID, worker)
            guard let row = try await tx.first("SELECT worker, state, cancel_requested FROM jobs WHERE id = ?", jobID) else {
                return (false, true)
            }
            let owned = try row.optionalText("worker") == worker && row.text("state") == "running"
            return (owned, try row.bool("cancel_requested"))
        }
    }

    /// Queues again the running jobs whose heartbeat is older than `timeoutMillis` (all running jobs with 0),
    /// failing those that used up their attempts. Returns the ids queued again.
    @discardableResult
    public func requeueStale(timeoutMillis: Int64) async throws -> [Int64] {
        try await store.write { tx in
            let now = Clock.nowMillis()
            let skipLocked = tx.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
            let stale = try await tx.query("""
                SELECT id, attempts, max_attempts, cancel_requested, worker FROM jobs
                WHERE state = 'running' AND heartbeat_at < ?
                """ + skipLocked, now - timeoutMillis)
            var requeued: [Int64] = []
            for row in stale {
                let id = try row.int("id"), worker = try row.optionalText("worker") ?? "?"
                if try row.bool("cancel_requested") {
                    try await tx.execute("UPDATE jobs SET state = 'cancelled', worker = NULL, finished_at = ?, updated_at = ? WHERE id = ?",
                                         now, now, id)
                    try await Self.appendLog(tx, jobID: id, "worker \(worker) stopped answering; the job was cancelled")
                } else if try row.int("attempts") >= row.int("max_attempts") {
                    try await tx.execute("""
                        UPDATE jobs SET state = 'failed', worker = NULL, error = ?, finished_at = ?, updated_at = ? WHERE id = ?
                        """, "the worker stopped answering on each of \(try row.int("attempts")) attempts", now, now, id)
                    try await Self.appendLog(tx, jobID: id, "worker \(worker) stopped answering; no attempts left")
                } else {
                    try await tx.execute("UPDATE jobs SET state = 'queued', worker = NULL, updated_at = ? WHERE id = ?", now, id)
                    try await Self.appendLog(tx, jobID: id, "worker \(worker) stopped answering; queued again to resume from its last checkpoint")
                    requeued.append(id)
                }
            }
            return requeued
        }
    }

    /// Gives a running job back to the queue (a worker shutting down); it resumes from its last checkpoint.
    func release(jobID: Int64, worker: String) async throws {
        try await store.write { tx in
            try await tx.execute("""
                UPDATE jobs SET state = 'queued', worker = NULL, attempts = attempts - 1, updated_at = ?
                WHERE id = ? AND worker = ? AND state = 'running'
                """, Clock.nowMillis(), jobID, worker)
            try await Self.appendLog(tx, jobID: jobID, "worker \(worker) shut down; the job is queued to resume from its last checkpoint")
        }
    }

    /// Ends a job this worker runs; does nothing when the job is no longer this worker's.
    /// Ends the job, its last log line and its tracking run (status FINISHED, FAILED or KILLED) in one transaction, so
    /// the end costs one durable commit and readers never see the job ended with its run still running.
    func finish(jobID: Int64, worker: String, state: JobState, result: String?, error: String?,
                modelID: Int64? = nil, modelVersion: Int64? = nil, logLine: String? = nil,
                run: (id: String, status: String)? = nil) async throws -> Bool {
        try await store.write { tx in
            let now = Clock.nowMillis()
            try await tx.execute("""
                UPDATE jobs SET state = ?, result = ?, error = ?, model_id = COALESCE(?, model_id),
                    model_version = COALESCE(?, model_version), finished_at = ?, updated_at = ?
                WHERE id = ? AND worker = ? AND state = 'running'
                """, state.rawValue, result, error, modelID, modelVersion, now, now, jobID, worker)
            guard let row = try await tx.first("SELECT state, worker FROM jobs WHERE id = ?", jobID) else { return false }
            guard try row.text("state") == state.rawValue && row.optionalText("worker") == worker else { return false }
            if let logLine { try await Self.appendLog(tx, jobID: jobID, logLine) }
            if let run { try await TrackingService.end(tx, runID: run.id, status: run.status, endTime: now) }
            return true
        }
    }

    /// Records an epoch: its metric points on the job's run and its line in the job's log, in one transaction.
    func logEpoch(jobID: Int64, runID: String, _ points: [MetricPoint], line: String) async throws {
        try TrackingService.validate(metrics: points)
        try await store.write { tx in
            _ = try await TrackingService.activeRun(tx, runID: runID)
            try await TrackingService.insert(tx, runID: runID, metrics: points)
            try await Self.appendLog(tx, jobID: jobID, line)
        }
    }

    /// Appends a line to a job's log.
    func log(jobID: Int64, _ line: String) async throws {
        try await store.write { tx in try await Self.appendLog(tx, jobID: jobID, line) }
    }

    static func appendLog(_ tx: any SQLExecutor, jobID: Int64, _ line: String) async throws {
        try await tx.execute("""
            INSERT INTO job_logs (job_id, seq, at, line)
            VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM job_logs WHERE job_id = ?), ?, ?)
            """, jobID, jobID, Clock.nowMillis(), line)
    }
}
