extension TrackingService {
    /// A run's artifacts, by path; `directory` limits the list to the files under it.
    public func artifacts(_ principal: Principal, projectID: Int64, runID: String, under directory: String? = nil) async throws -> [RunArtifact] {
        try await accounts.require(principal, .viewer, in: projectID)
        let prefix = try directory.flatMap { $0.isEmpty ? nil : try Self.artifactPath($0) + "/" }
        return try await store.read { tx in
            _ = try await Self.runRow(tx, runID: runID, projectID: projectID)
            let all = try await tx.query("SELECT * FROM run_artifacts WHERE run_id = ? ORDER BY path", runID).map(RunArtifact.init(row:))
            return prefix.map { prefix in all.filter { $0.path.hasPrefix(prefix) } } ?? all
        }
    }

    /// Starts receiving an artifact of an active run (editors).
    public func beginArtifactUpload(_ principal: Principal, projectID: Int64, runID: String, limit: Int64) async throws -> ArtifactUpload {
        try await accounts.require(principal, .editor, in: projectID)
        try await store.read { tx in
            _ = try await Self.activeRun(tx, runID: runID, projectID: projectID)
        }
        do { return try artifacts.beginUpload(limit: limit) } catch { throw PlatformError.wrap(error) }
    }

    /// Stores a received upload as the run's artifact at `path`, replacing the file there (editors).
    public func commitArtifact(_ principal: Principal, projectID: Int64, runID: String, path: String,
                               upload: ArtifactUpload) async throws -> RunArtifact {
        try await accounts.require(principal, .editor, in: projectID)
        let normalized: String
        do { normalized = try Self.artifactPath(path) } catch { upload.abort(); throw error }
        let ref: ArtifactRef
        do { ref = try upload.commit() } catch { throw PlatformError.wrap(error) }
        return try await store.write { tx in
            _ = try await Self.activeRun(tx, runID: runID, projectID: projectID)
            try await Self.record(tx, runID: runID, path: normalized, ref: ref)
            return try RunArtifact(row: try await tx.first("SELECT * FROM run_artifacts WHERE run_id = ? AND path = ?", runID, normalized)!)
        }
    }

    /// Opens one artifact of a run for streaming.
    public func openArtifact(_ principal: Principal, projectID: Int64, runID: String, path: String) async throws -> (RunArtifact, ArtifactReader) {
        try await accounts.require(principal, .viewer, in: projectID)
        let path = try Self.artifactPath(path)
        let row = try await store.read { tx in
            _ = try await Self.runRow(tx, runID: runID, projectID: projectID)
            return try await tx.first("SELECT * FROM run_artifacts WHERE run_id = ? AND path = ?", runID, path)
        }
        guard let row else { throw PlatformError.notFound("artifact", "'\(path)' of run \(runID)") }
        let artifact = try RunArtifact(row: row)
        do { return (artifact, try artifacts.openReader(artifact.sha256)) } catch { throw PlatformError.wrap(error) }
    }
}
