import Foundation
import KouziTestSupport

/// A `kouzi serve` process on a free loopback port, with its own data directory; the test talks to it over HTTP.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let dataDirectory: URL
    let database: String?
    private(set) var port = 0
    private(set) var adminToken: String?
    private let output = Pipe()
    private var lines: [String] = []
    private let lock = NSLock()

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }
    var pid: Int32 { process.processIdentifier }

    /// The `kouzi` executable built next to the test bundle.
    static var executable: String {
        get throws {
            let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            let candidates = [
                testBinary.appendingPathComponent("kouzi").path,
                testBinary.deletingLastPathComponent().appendingPathComponent("kouzi").path,
                repositoryRoot() + "/.build/release/kouzi",
                repositoryRoot() + "/.build/debug/kouzi",
            ]
            guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
                throw TestFailure("the kouzi executable is not built (looked at \(candidates)); run swift build first")
            }
            return found
        }
    }

    /// Starts a server; `dataDirectory` nil makes a fresh temporary one.
    init(dataDirectory: URL? = nil, database: String? = nil, extraArguments: [String] = []) throws {
        self.dataDirectory = dataDirectory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("kouzi-test-\(UUID().uuidString)", isDirectory: true)
        self.database = database
        process.executableURL = URL(fileURLWithPath: try Self.executable)
        var arguments = ["serve", "--port", "0", "--data", self.dataDirectory.path, "--log-level", "warning"] + extraArguments
        if let database { arguments += ["--database", database] }
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = output
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "KOUZI_DATABASE")
        process.environment = environment
        try process.run()
        try waitUntilListening()
    }

    private func waitUntilListening() throws {
        let handle = output.fileHandleForReading
        var buffer = Data()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty {
                throw TestFailure("kouzi serve exited before listening: \(String(decoding: buffer, as: UTF8.self))")
            }
            buffer.append(chunk)
            let text = String(decoding: buffer, as: UTF8.self)
            if let range = text.range(of: #"KOUZI_TOKEN=(kz_[0-9a-f]+)"#, options: .regularExpression) {
                adminToken = String(text[range].dropFirst("KOUZI_TOKEN=".count))
            }
            if let range = text.range(of: #"listening on http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                port = Int(text[range].split(separator: ":").last!)!
                lock.withLock { lines = text.split(separator: "\n").map(String.init) }
                drainInBackground(handle)
                return
            }
        }
        throw TestFailure("kouzi serve did not start listening within 60 s")
    }

    private func drainInBackground(_ handle: FileHandle) {
        Thread.detachNewThread { [weak self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { return }
                let text = String(decoding: chunk, as: UTF8.self)
                self?.lock.withLock { self?.lines.append(contentsOf: text.split(separator: "\n").map(String.init)) }
            }
        }
    }

    /// What the server printed so far.
    var log: [String] { lock.withLock { lines } }

    /// Sends a signal and waits for the process to end; returns its exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }

    /// Removes the data directory.
    func removeData() { try? FileManager.default.removeItem(at: dataDirectory) }
}

/// A failure of test set-up, with a message.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
