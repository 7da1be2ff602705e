import Foundation
@testable import KouziPlatform
import Logging
import Testing

/// Garbage collection of the artifact store: only content no row refers to and that nobody wrote or reused within
/// the grace period goes; content an upload reuses counts as fresh again.
@Suite struct ArtifactCollectorTests {
    @Test func unreferencedOldArtifactsGoAndEverythingElseStays() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kouzi-gc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let platform = try await Platform.open(PlatformConfiguration(dataDirectory: directory), logger: Logger(label: "test"))
        defer { Task { await platform.close() } }
        _ = try await platform.accounts.bootstrap()
        let artifacts = platform.artifacts
        func age(_ ref: ArtifactRef, hours: Double) throws {
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-hours * 3600)],
                                                  ofItemAtPath: artifacts.url(of: ref.sha256).path)
        }
        let kept = try artifacts.put(Data("an upload of project 1".utf8))
        try await platform.store.write { tx in
            try await tx.execute("INSERT INTO project_blobs (project_id, sha256, size, created_at) VALUES (1, ?, ?, 0)",
                                 kept.sha256, kept.size)
        }
        let orphan = try artifacts.put(Data("a version that was deleted".utf8))
        let young = try artifacts.put(Data("an upload whose row is not written yet".utf8))
        let reused = try artifacts.put(Data("content uploaded again".utf8))
        for ref in [kept, orphan, reused] { try age(ref, hours: 2) }
        try age(young, hours: 0.5)
        // Uploaded again: the old copy is reused and now counts as fresh.
        #expect(try artifacts.put(Data("content uploaded again".utf8)) == reused)

        let result = try await platform.collectArtifactGarbage(grace: 3600)
        #expect(result == ArtifactCollection(referenced: 1, removed: 1, removedBytes: orphan.size, keptRecent: 2))
        #expect(!artifacts.contains(orphan.sha256))
        for ref in [kept, young, reused] { #expect(try artifacts.data(ref.sha256).count == Int(ref.size)) }
        // An artifact collected a moment ago is stored again by the next upload of the same content.
        #expect(try artifacts.put(Data("a version that was deleted".utf8)) == orphan)
        #expect(try artifacts.data(orphan.sha256).count == Int(orphan.size))
    }
}
