import KouziPlatform
import Logging
import ServiceLifecycle

/// The job runner as a service of a service group: a graceful shutdown stops the running jobs at their next step
/// (they go back to the queue); if the group escalates to cancellation, a job whose work has not stopped by then is
/// given back without waiting for it.
struct JobWorkerService: Service {
    let runner: JobRunner

    func run() async throws {
        await withGracefulShutdownHandler {
            await runner.run()
        } onGracefulShutdown: {
            runner.beginShutdown()
        }
    }
}

extension KouziServer {
    /// Runs `services` until SIGTERM or SIGINT, then shuts them down gracefully for at most `timeout` seconds
    /// before cancelling whatever still runs.
    static func runUntilSignalled(_ services: [ServiceGroupConfiguration.ServiceConfiguration], timeout: Double,
                                  logger: Logger) async throws {
        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger)
        configuration.maximumGracefulShutdownDuration = .milliseconds(Int64(timeout * 1000))
        try await ServiceGroup(configuration: configuration).run()
    }

    /// `kouzi worker`: runs jobs from the shared queue until SIGTERM or SIGINT (see ``runUntilSignalled``).
    public static func runWorker(_ platform: Platform, options: JobRunnerOptions, shutdownTimeout: Double,
                                 logger: Logger) async throws {
        let runner = JobRunner(platform: platform, options: options, logger: logger)
        try await runUntilSignalled([.init(service: JobWorkerService(runner: runner))], timeout: shutdownTimeout, logger: logger)
    }
}
