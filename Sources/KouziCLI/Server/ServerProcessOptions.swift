import ArgumentParser
import Foundation
import KouziPlatform
import KouziServer
import Logging

/// Where a server or worker process keeps its state.
struct StorageOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: "Data directory (database file, artifacts, job checkpoints). Default: $KOUZI_DATA or ./kouzi-data.")
    var dataDirectory: String?

    @Option(help: "postgres://user:password@host:port/database to share state between processes. Default: $KOUZI_DATABASE or SQLite in the data directory.")
    var database: String?

    /// The data directory after the environment is consulted.
    var resolvedData: String { dataDirectory ?? ProcessInfo.processInfo.environment["KOUZI_DATA"] ?? "kouzi-data" }

    /// The database URL after the environment is consulted (nil: SQLite in the data directory).
    var resolvedDatabase: String? { database ?? ProcessInfo.processInfo.environment["KOUZI_DATABASE"] }
}

/// How a server or worker process logs.
struct LogOptions: ParsableArguments {
    @Option(help: "Log format: text or json.")
    var logFormat = "text"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format must be text or json") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level '\(logLevel)' is not a level") }
    }

    /// Sets up swift-log (once per process) and returns the process's logger.
    func bootstrap() -> Logger {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let json = logFormat == "json"
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "kouzi")
    }
}

/// How a process runs jobs.
struct JobOptions: ParsableArguments {
    @Option(help: "Seconds without a heartbeat after which a running job is queued again (its worker is taken for dead).")
    var heartbeatTimeout: Double = 30

    func validate() throws {
        guard heartbeatTimeout >= 1 else { throw ValidationError("--heartbeat-timeout must be at least 1 second") }
    }

    func runner(concurrency: Int) -> JobRunnerOptions {
        JobRunnerOptions(concurrency: concurrency, heartbeatInterval: min(0.5, heartbeatTimeout / 3), heartbeatTimeout: heartbeatTimeout)
    }
}

/// How `kouzi serve` batches inference requests and how much memory its loaded models may take.
struct ServingOptions: ParsableArguments {
    @Option(help: "Rows in one forward pass at most (dynamic batching).")
    var maxBatchSize = 64

    @Option(help: "Milliseconds the first request of a batch waits for company.")
    var maxBatchDelayMs: Double = 2

    @Option(help: "Rows waiting for a forward pass at most; more are refused with 503.")
    var queueLimit = 4096

    @Option(help: "Seconds a request may wait for its forward pass before it is answered with 503.")
    var requestTimeout: Double = 10

    @Option(help: "MiB the loaded models may take together (estimated); the least recently used unload to make room. 0: no limit.")
    var modelMemoryMib = 0

    @Flag(help: "Serve /metrics without a token (it names every project's deployments); by default it needs a server administrator's token of any role.")
    var publicMetrics = false

    func validate() throws {
        guard (1...65_536).contains(maxBatchSize) else { throw ValidationError("--max-batch-size must be in 1…65536") }
        guard maxBatchDelayMs >= 0, maxBatchDelayMs <= 1_000 else { throw ValidationError("--max-batch-delay-ms must be in 0…1000") }
        guard queueLimit >= maxBatchSize else { throw ValidationError("--queue-limit must be at least --max-batch-size") }
        guard requestTimeout > 0 else { throw ValidationError("--request-timeout must be positive") }
        guard modelMemoryMib >= 0 else { throw ValidationError("--model-memory-mib must be 0 or more") }
    }

    /// Applies the options to a platform configuration.
    func configure(_ configuration: inout PlatformConfiguration) {
        configuration.batching = BatchingOptions(maxBatchSize: maxBatchSize, maxDelay: maxBatchDelayMs / 1_000,
                                                 queueLimit: queueLimit, timeout: requestTimeout)
        configuration.modelMemoryBudget = modelMemoryMib > 0 ? Int64(modelMemoryMib) << 20 : nil
        configuration.publicMetrics = publicMetrics
    }
}
