import Foundation
import Hummingbird
import KouziPlatform
import Logging

/// How `kouzi serve` runs.
public struct ServerOptions: Sendable {
    public var host: String
    /// 0 picks a free port (printed once listening).
    public var port: Int
    public var platform: PlatformConfiguration
    /// How the in-process worker runs jobs (concurrency 0: this process only serves).
    public var jobs: JobRunnerOptions
    /// Timeouts of client connections.
    public var connections: ConnectionLimits
    /// Seconds that a shutdown waits for requests in flight and running jobs before it cancels them.
    public var shutdownTimeout: Double

    /// Creates options.
    public init(host: String = "127.0.0.1", port: Int = 8080, platform: PlatformConfiguration,
                jobs: JobRunnerOptions = JobRunnerOptions(), connections: ConnectionLimits = ConnectionLimits(),
                shutdownTimeout: Double = 10) {
        self.host = host
        self.port = port
        self.platform = platform
        self.jobs = jobs
        self.connections = connections
        self.shutdownTimeout = shutdownTimeout
    }
}

/// The platform's HTTP server.
public enum KouziServer {
    /// The API version reported in `/openapi.json`.
    public static let version = "1.0.0"

    /// Builds the router for a platform.
    public static func makeRouter(_ platform: Platform) -> Router<KouziContext> {
        let router = Router(context: KouziContext.self)
        let endpoints = APIRoutes.all(platform)
        router.add(middleware: ErrorMiddleware(endpoints: endpoints))
        router.add(middleware: RequestLogMiddleware())
        router.add(endpoints, accounts: platform.accounts)
        MLflowRoutes.add(to: router, platform: platform)
        ConsoleRoutes.add(to: router, platform: platform)
        return router
    }

    /// Opens the platform, prints the admin token on first start, serves until SIGTERM/SIGINT (finishing
    /// requests in flight and stopping running jobs, for at most the shutdown timeout), then closes the database.
    public static func run(_ options: ServerOptions, logger: Logger,
                           onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let platform = try await Platform.open(options.platform, logger: logger)
        if let secret = try await platform.accounts.bootstrap() {
            print("""
                First start: created user 'admin', project 'default' and an admin token. It is shown only this once:

                    export KOUZI_TOKEN=\(secret)

                """)
            flushOutput()
        }
        let app = Application(
            router: makeRouter(platform),
            server: options.connections.server,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "kouzi"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? options.port
                print("kouzi serve: listening on http://\(options.host):\(port) (data in \(options.platform.dataDirectory.path))")
                flushOutput()
                onListening(port)
            },
            logger: logger)
        if platform.store.dialect == .sqlite {
            // Only this process uses the SQLite file: jobs left running belong to a process that died.
            let requeued = try await platform.jobs.requeueStale(timeoutMillis: 0)
            if !requeued.isEmpty { logger.info("jobs queued again after a restart", metadata: ["jobs": "\(requeued)"]) }
        }
        let runner = JobRunner(platform: platform, options: options.jobs, logger: logger)
        do {
            // Requests in flight finish and running jobs stop at their next step (back to the queue, to resume from
            // their checkpoints) within the shutdown timeout; whatever still runs then is cancelled.
            try await runUntilSignalled([.init(service: app),
                                         .init(service: JobWorkerService(runner: runner), successTerminationBehavior: .ignore),
                                         .init(service: ArtifactCollectorService(platform: platform, logger: logger))],
                                        timeout: options.shutdownTimeout, logger: logger)
        } catch {
            await platform.close()
            throw error
        }
        await platform.close()
        logger.info("server stopped")
    }
}

/// Logs each request with its method, path, status and duration, as structured metadata.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = KouziContext

    func handle(_ request: Request, context: KouziContext, next: (Request, KouziContext) async throws -> Response) async throws -> Response {
        guard context.logger.logLevel <= .debug else { return try await next(request, context) }
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        context.logger.debug("request", metadata: [
            "method": "\(request.method.rawValue)", "path": "\(request.uri.path)",
            "status": "\(response.status.code)", "micros": "\(micros)",
        ])
        return response
    }
}

/// Flushes standard output (a test harness reads the listening line through a pipe).
func flushOutput() {
    fflush(nil)
}
