import KouziPlatform
import Logging
import ServiceLifecycle

/// Collects the artifact store's garbage every hour (``Platform/collectArtifactGarbage(grace:)``) until shutdown.
struct ArtifactCollectorService: Service {
    let platform: Platform
    let logger: Logger
    var interval: Duration = .seconds(3600)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                    let result = try await platform.collectArtifactGarbage()
                    if result.removed > 0 {
                        logger.info("artifacts collected", metadata: ["removed": "\(result.removed)", "bytes": "\(result.removedBytes)"])
                    }
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("artifact collection failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
