import Foundation

/// What a garbage collection of the artifact store found and removed.
public struct ArtifactCollection: Sendable, Codable, Equatable {
    /// Artifacts the database refers to.
    public var referenced: Int
    /// Artifacts removed: no row refers to them and they are older than the grace period.
    public var removed: Int
    /// Bytes those held.
    public var removedBytes: Int64
    /// Unreferenced artifacts kept because they are younger than the grace period (an upload whose row is not
    /// written yet looks like one).
    public var keptRecent: Int
}

extension Platform {
    /// Removes the artifacts that no dataset version, model version, run artifact or upload refers to and that
    /// have not been written or reused for `grace` seconds.
    ///
    /// An upload stores its content before its row is written, and content already stored is reused by touching
    /// it (``ArtifactUpload/commit()``), so a young artifact may be about to be referred to: it is kept. A
    /// candidate is first moved aside, checked once more for a touch that raced the move, and only then deleted.
    public func collectArtifactGarbage(grace: TimeInterval = 3600) async throws -> ArtifactCollection {
        let referenced = try await store.read { tx in
            var hashes = Set<String>()
            for row in try await tx.query("SELECT sha256 FROM project_blobs UNION SELECT sha256 FROM run_artifacts "
                                          + "UNION SELECT package_hash FROM model_versions") {
                hashes.insert(try row.text("sha256"))
            }
            for row in try await tx.query("SELECT files FROM dataset_versions") {
                let files = try JSONDecoder().decode([DatasetFile].self, from: Data(try row.text("files").utf8))
                hashes.formUnion(files.map(\.sha256))
            }
            return hashes
        }
        return try await runDetached { [artifacts] in try artifacts.removeUnreferenced(keeping: referenced, grace: grace) }
    }
}

extension ArtifactStore {
    func removeUnreferenced(keeping referenced: Set<String>, grace: TimeInterval) throws -> ArtifactCollection {
        let fm = FileManager.default
        var result = ArtifactCollection(referenced: 0, removed: 0, removedBytes: 0, keptRecent: 0)
        let cutoff = Date().addingTimeInterval(-grace)
        func modified(_ path: String) -> Date? { (try? fm.attributesOfItem(atPath: path))?[.modificationDate] as? Date }
        for folder in (try? fm.contentsOfDirectory(atPath: root.path)) ?? [] {
            let directory = root.appendingPathComponent(folder, isDirectory: true)
            for hash in (try? fm.contentsOfDirectory(atPath: directory.path)) ?? [] {
                if referenced.contains(hash) {
                    result.referenced += 1
                    continue
                }
                let path = directory.appendingPathComponent(hash).path
                guard let written = modified(path), written < cutoff else {
                    result.keptRecent += 1
                    continue
                }
                let aside = temporaryFile("collected").path
                guard rename(path, aside) == 0 else { continue }
                if let touched = modified(aside), touched >= cutoff {
                    // Reused while it was being moved: put it back.
                    if rename(aside, path) != 0 { unlink(aside) }
                    result.keptRecent += 1
                    continue
                }
                result.removedBytes += fileSize(aside)
                unlink(aside)
                result.removed += 1
            }
        }
        return result
    }
}
