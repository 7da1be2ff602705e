import Foundation
@testable import KouziPlatform
import Testing

/// Temporary files are named after the process writing them, so a restart removes a dead process's leftovers at
/// once and leaves files that live processes (a worker sharing the data directory) are still writing.
@Suite struct TemporaryLeftoverTests {
    @Test func aRestartRemovesTheFilesOfDeadProcessesAndKeepsTheLiving() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kouzi-leftovers-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try ArtifactStore(directory: directory)
        // A process that has exited: its id names no process now.
        let exited = Process()
        exited.executableURL = URL(fileURLWithPath: "/bin/true")
        try exited.run()
        exited.waitUntilExit()
        let host = ArtifactStore.host
        func file(_ name: String, age: TimeInterval = 0) throws -> URL {
            let url = store.temporary.appendingPathComponent(name)
            try Data("x".utf8).write(to: url)
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-age)], ofItemAtPath: url.path)
            return url
        }
        let dead = try file("upload@\(host)@\(exited.processIdentifier)@a")
        let deadPackage = store.temporary.appendingPathComponent("package@\(host)@\(exited.processIdentifier)@b.kouzi")
        try FileManager.default.createDirectory(at: deadPackage, withIntermediateDirectories: true)
        let living = try file("upload@\(host)@1@c")
        let mine = store.temporaryFile("upload")
        try Data("y".utf8).write(to: mine)
        let otherHostFresh = try file("upload@elsewhere@\(exited.processIdentifier)@d")
        let otherHostOld = try file("upload@elsewhere@\(exited.processIdentifier)@e", age: 7200)
        let untaggedOld = try file("upload-f", age: 7200)
        _ = try ArtifactStore(directory: directory)
        let exists = { (url: URL) in FileManager.default.fileExists(atPath: url.path) }
        #expect(!exists(dead) && !exists(deadPackage), "a dead process's upload and unpacked package go at once")
        #expect(exists(living) && exists(mine), "files of running processes stay")
        #expect(exists(otherHostFresh) && !exists(otherHostOld), "another host's files go after an hour")
        #expect(!exists(untaggedOld))
        #expect(mine.lastPathComponent.hasPrefix("upload@\(host)@\(getpid())@"))
    }
}
