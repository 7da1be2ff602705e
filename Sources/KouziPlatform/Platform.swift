import Foundation
import KouziTasks
import Logging

/// Where the platform keeps its state and how much it accepts.
public struct PlatformConfiguration: Sendable {
    /// The data directory: SQLite file, artifacts, temporary uploads.
    public var dataDirectory: URL
    /// `sqlite:PATH` or `postgres://…`; nil means `DATA/kouzi.sqlite`.
    public var databaseURL: String?
    /// The largest file an upload may carry.
    public var maxUploadBytes: Int64
    /// How deployments batch inference requests.
    public var batching = BatchingOptions()
    /// Bytes the models loaded for serving may take together (estimated); nil: no limit.
    public var modelMemoryBudget: Int64?
    /// Whether `/metrics` answers anyone (a scraper on a private network) instead of only server administrators'
    /// tokens: the metrics name every deployment of every project and its traffic.
    public var publicMetrics = false
    /// Bytes a job may be expected to use; jobs expected to need more are refused when submitted.
    public var jobMemoryLimit: Int64 = JobMemory.defaultLimit
    /// The tasks the platform trains and serves: their data kinds, templates and codecs.
    public var tasks: TaskCatalogue = .standard

    /// Creates a configuration.
    public init(dataDirectory: URL, databaseURL: String? = nil, maxUploadBytes: Int64 = 2 << 30) {
        self.dataDirectory = dataDirectory
        self.databaseURL = databaseURL
        self.maxUploadBytes = maxUploadBytes
    }
}

/// The platform's domain: storage, accounts, datasets, models and experiment tracking. The HTTP server only translates to it.
public final class Platform: Sendable {
    public let configuration: PlatformConfiguration
    public let store: any Store
    public let artifacts: ArtifactStore
    public let accounts: AccountService
    public let datasets: DatasetService
    public let models: ModelRegistry
    public let tracking: TrackingService
    public let jobs: JobService
    public let deployments: DeploymentService

    /// Opens the store and artifact directory and brings the schema up to date.
    public static func open(_ configuration: PlatformConfiguration, logger: Logger) async throws -> Platform {
        _ = ProcessStats.started  // uptime counts from here, not from the first health request
        let url = configuration.databaseURL
            ?? "sqlite:" + configuration.dataDirectory.appendingPathComponent("kouzi.sqlite").path
        let store = try await openStore(url: url, logger: logger)
        let applied = try await Migrator.migrate(store)
        if !applied.isEmpty { logger.info("schema migrated", metadata: ["versions": "\(applied)"]) }
        return try Platform(configuration: configuration, store: store)
    }

    init(configuration: PlatformConfiguration, store: any Store) throws {
        self.configuration = configuration
        self.store = store
        artifacts = try ArtifactStore(directory: configuration.dataDirectory)
        accounts = AccountService(store: store)
        datasets = DatasetService(store: store, artifacts: artifacts, accounts: accounts,
                                  maxUploadBytes: configuration.maxUploadBytes)
        models = ModelRegistry(store: store, artifacts: artifacts, accounts: accounts,
                               maxUploadBytes: configuration.maxUploadBytes)
        tracking = TrackingService(store: store, artifacts: artifacts, accounts: accounts)
        jobs = JobService(store: store, accounts: accounts, tracking: tracking, catalogue: configuration.tasks.training,
                          jobMemoryLimit: configuration.jobMemoryLimit)
        deployments = DeploymentService(store: store, accounts: accounts, registry: models, codecs: configuration.tasks.codecs,
                                        directory: artifacts.temporary.appendingPathComponent("serving", isDirectory: true),
                                        batching: configuration.batching, memoryBudget: configuration.modelMemoryBudget)
    }

    /// Whether the database answers and the data directory is writable.
    public func isReady() async -> Bool {
        guard await store.ping() else { return false }
        return FileManager.default.isWritableFile(atPath: artifacts.temporary.path)
    }

    /// Closes the database connections.
    public func close() async {
        try? await deployments.traffic.flush()
        await store.close()
    }
}
