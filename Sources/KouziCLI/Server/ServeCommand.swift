import ArgumentParser
import Foundation
import KouziPlatform
import KouziServer
import Logging

/// `kouzi serve`: the platform server.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the platform server: REST API under /api/v1, embedded SQLite or PostgreSQL, and a job worker.",
        discussion: """
        On first start the server creates the user 'admin', the project 'default' and an admin token, and prints
        the token once. Every request except /healthz, /readyz and /openapi.json needs 'Authorization: Bearer <token>'.
        Training, evaluation and tuning jobs run inside the server (--workers at once); with PostgreSQL, `kouzi worker`
        processes can take jobs too. SIGTERM or SIGINT stop it: requests in flight finish and a running job stops at its
        next step, goes back to the queue and later resumes from its last checkpoint; after --shutdown-timeout seconds
        whatever still runs is cancelled and the process exits.
        """)

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one and prints it).")
    var port = 8080

    @OptionGroup var storage: StorageOptions

    @Option(help: "Largest upload in MiB.")
    var maxUploadMib: Int = 2048

    @Option(help: ArgumentHelp("Memory in MiB a job may be expected to need; larger jobs are refused when submitted.",
                               discussion: "Default: half the machine's memory, at most 16 GiB."))
    var jobMemoryMib: Int?

    @Option(help: ArgumentHelp("Seconds a client connection may go without progress before it is closed.",
                               discussion: "An idle keep-alive connection, request headers not all received, a request body with no bytes."))
    var idleTimeout: Double = 60

    @Option(help: "Seconds that SIGTERM or SIGINT wait for requests in flight and running jobs before cancelling them.")
    var shutdownTimeout: Double = 10

    @Option(help: "Jobs (training, evaluation, tuning) this process runs at once; 0 leaves them to `kouzi worker` processes.")
    var workers = 1

    @OptionGroup var jobs: JobOptions

    @OptionGroup var serving: ServingOptions

    @OptionGroup var log: LogOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0…65535") }
        guard maxUploadMib > 0 else { throw ValidationError("--max-upload-mib must be positive") }
        if let jobMemoryMib, jobMemoryMib <= 0 { throw ValidationError("--job-memory-mib must be positive") }
        guard (0...64).contains(workers) else { throw ValidationError("--workers must be in 0…64") }
        guard idleTimeout > 0, idleTimeout <= 86_400 else { throw ValidationError("--idle-timeout must be in (0, 86400] seconds") }
        guard shutdownTimeout >= 0, shutdownTimeout <= 3600 else { throw ValidationError("--shutdown-timeout must be in 0…3600 seconds") }
    }

    func run() throws {
        let logger = log.bootstrap()
        var platform = PlatformConfiguration(dataDirectory: URL(fileURLWithPath: storage.resolvedData, isDirectory: true),
                                             databaseURL: storage.resolvedDatabase, maxUploadBytes: Int64(maxUploadMib) << 20)
        serving.configure(&platform)
        if let jobMemoryMib { platform.jobMemoryLimit = Int64(jobMemoryMib) << 20 }
        let options = ServerOptions(host: host, port: port, platform: platform, jobs: jobs.runner(concurrency: workers),
                                    connections: ConnectionLimits(idleTimeout: idleTimeout), shutdownTimeout: shutdownTimeout)
        try runBlocking { try await KouziServer.run(options, logger: logger) }
    }
}

/// `kouzi worker`: takes jobs from a PostgreSQL queue shared with `kouzi serve`.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run jobs from the queue of a server that uses PostgreSQL (more processes, more machines).",
        discussion: """
        A worker claims the oldest queued job with a row lock that other workers skip (FOR UPDATE SKIP LOCKED), \
        sends a heartbeat while it runs it, and writes checkpoints to the data directory, which must be the \
        server's (the same machine or a shared file system). A job whose worker stops answering for \
        --heartbeat-timeout seconds is queued again and resumes from its last checkpoint. SIGTERM or SIGINT \
        stop the running job at its next step, give it back to the queue and stop the worker (within \
        --shutdown-timeout seconds).

        Example:
          kouzi worker --database postgres://kouzi:secret@db:5432/kouzi --data /srv/kouzi --concurrency 2
        """)

    @OptionGroup var storage: StorageOptions

    @Option(help: "Jobs this worker runs at once.")
    var concurrency = 1

    @Option(help: "Seconds that SIGTERM or SIGINT wait for running jobs to stop at their next step before cancelling them.")
    var shutdownTimeout: Double = 10

    @OptionGroup var jobs: JobOptions

    @OptionGroup var log: LogOptions

    func validate() throws {
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be in 1…64") }
        guard shutdownTimeout >= 0, shutdownTimeout <= 3600 else { throw ValidationError("--shutdown-timeout must be in 0…3600 seconds") }
    }

    func run() throws {
        guard let database = storage.resolvedDatabase, database.hasPrefix("postgres") else {
            throw CLIError.failed("kouzi worker shares a PostgreSQL queue with kouzi serve: give --database postgres://… "
                + "(with SQLite, kouzi serve runs the jobs itself; see its --workers)")
        }
        let logger = log.bootstrap()
        let configuration = PlatformConfiguration(dataDirectory: URL(fileURLWithPath: storage.resolvedData, isDirectory: true),
                                                  databaseURL: database)
        let options = jobs.runner(concurrency: concurrency)
        try runBlocking {
            let platform = try await Platform.open(configuration, logger: logger)
            print("kouzi worker: \(options.workerName) taking jobs (\(options.concurrency) at once)")
            fflush(nil)
            do {
                try await KouziServer.runWorker(platform, options: options, shutdownTimeout: shutdownTimeout, logger: logger)
            } catch {
                await platform.close()
                throw error
            }
            await platform.close()
        }
    }
}
