import Crypto
import Foundation

/// Errors of the artifact store.
public enum ArtifactError: Error, CustomStringConvertible, Sendable {
    /// An upload passed its size limit.
    case tooLarge(limit: Int64)
    /// No artifact has this hash.
    case missing(String)
    /// The stored bytes no longer match their hash (disk corruption or tampering).
    case corrupt(hash: String, actual: String)
    /// A file operation failed.
    case io(String)

    public var description: String {
        switch self {
        case let .tooLarge(limit): return "upload exceeds the limit of \(limit) bytes"
        case let .missing(hash): return "artifact \(hash) does not exist"
        case let .corrupt(hash, actual): return "artifact \(hash) is corrupt: its content hashes to \(actual)"
        case let .io(message): return "artifact store: \(message)"
        }
    }
}

/// A stored file: its sha256 (lower-case hex) and size in bytes.
public struct ArtifactRef: Sendable, Codable, Equatable, Hashable {
    /// Lower-case hex sha256 of the content.
    public var sha256: String
    /// Size in bytes.
    public var size: Int64

    /// Creates a reference.
    public init(sha256: String, size: Int64) {
        self.sha256 = sha256
        self.size = size
    }
}

/// Content-addressed files under a data directory: `artifacts/sha256/ab/abcdef…`, written through a temporary
/// file that is flushed and renamed, so a reader sees a whole file or none; identical content is stored once.
public final class ArtifactStore: Sendable {
    /// The folder holding the artifacts.
    public let root: URL
    /// The folder holding uploads in progress.
    public let temporary: URL

    /// Opens the store under `directory`, creating its folders, and removes temporary files left behind: at once
    /// those of processes of this host that no longer run (a killed server's uploads), after an hour any other.
    public init(directory: URL) throws {
        root = directory.appendingPathComponent("artifacts/sha256", isDirectory: true)
        temporary = directory.appendingPathComponent("tmp", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        } catch {
            throw ArtifactError.io("cannot create \(directory.path): \(error.localizedDescription)")
        }
        removeLeftovers(olderThan: 3600)
    }

    /// A fresh path in the temporary folder, `prefix@host@pid@uuid` + `suffix`: named after this process, so a
    /// restart can tell the leftovers of a process that died from files other processes are still writing.
    public func temporaryFile(_ prefix: String, suffix: String = "") -> URL {
        temporary.appendingPathComponent("\(prefix)@\(Self.host)@\(getpid())@\(UUID().uuidString)\(suffix)")
    }

    static let host = ProcessInfo.processInfo.hostName.replacingOccurrences(of: "@", with: "_")

    /// The file of an artifact.
    public func url(of sha256: String) -> URL {
        root.appendingPathComponent(String(sha256.prefix(2)), isDirectory: true).appendingPathComponent(sha256)
    }

    /// Whether an artifact exists.
    public func contains(_ sha256: String) -> Bool {
        FileManager.default.fileExists(atPath: url(of: sha256).path)
    }

    /// Starts an upload that may hold at most `limit` bytes.
    public func beginUpload(limit: Int64) throws -> ArtifactUpload {
        try ArtifactUpload(store: self, limit: limit)
    }

    /// Stores bytes held in memory.
    @discardableResult
    public func put(_ data: Data) throws -> ArtifactRef {
        let upload = try beginUpload(limit: Int64(data.count))
        do {
            try data.withUnsafeBytes { try upload.write($0) }
            return try upload.commit()
        } catch {
            upload.abort()
            throw error
        }
    }

    /// Stores a file's content.
    public func put(fileAt source: URL) throws -> ArtifactRef {
        let reader = try ChunkedFileReader(url: source)
        let upload = try beginUpload(limit: .max)
        do {
            while let chunk = try reader.next() { try chunk.withUnsafeBytes { try upload.write($0) } }
            return try upload.commit()
        } catch {
            upload.abort()
            throw error
        }
    }

    /// Reads a whole artifact into memory after checking its hash.
    public func data(_ sha256: String) throws -> Data {
        let file = url(of: sha256)
        guard let data = FileManager.default.contents(atPath: file.path) else { throw ArtifactError.missing(sha256) }
        let actual = SHA256.hash(data: data).hexString
        guard actual == sha256 else { throw ArtifactError.corrupt(hash: sha256, actual: actual) }
        return data
    }

    /// Checks an artifact's hash without keeping its content.
    public func verify(_ sha256: String) throws {
        let reader = try openReader(sha256)
        while try reader.next() != nil {}
    }

    /// Opens an artifact for streaming; the reader checks the hash as it reaches the end.
    public func openReader(_ sha256: String, chunkSize: Int = 256 * 1024) throws -> ArtifactReader {
        guard contains(sha256) else { throw ArtifactError.missing(sha256) }
        return try ArtifactReader(url: url(of: sha256), expected: sha256, chunkSize: chunkSize)
    }

    func removeLeftovers(olderThan seconds: TimeInterval) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        let cutoff = Date().addingTimeInterval(-seconds)
        for name in names {
            let file = temporary.appendingPathComponent(name)
            let parts = name.split(separator: "@")
            if parts.count == 4, parts[1] == Self.host, let pid = Int32(parts[2]), pid != getpid() {
                // kill(pid, 0) fails with ESRCH when no process has that id.
                if kill(pid, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(at: file) }
                continue
            }
            let attributes = try? FileManager.default.attributesOfItem(atPath: file.path)
            if let modified = attributes?[.modificationDate] as? Date, modified < cutoff {
                try? FileManager.default.removeItem(at: file)
            }
        }
    }
}

extension Digest {
    /// The digest as lower-case hex.
    public var hexString: String {
        var text = ""
        text.reserveCapacity(Self.byteCount * 2)
        for byte in self {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0xF)])
        }
        return text
    }
}

private let hexDigits: [Character] = Array("0123456789abcdef")
