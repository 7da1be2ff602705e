import ArgumentParser
import Foundation
import KouziPlatform
import KouziServer
import Logging

/// `kouzi serve`: the platform server.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the platform server: REST API under /api/v1, embedded SQLite or PostgreSQL.",
        discussion: """
        On first start the server creates the user 'admin', the project 'default' and an admin token, and prints
        the token once. Every request except /healthz, /readyz and /openapi.json needs 'Authorization: Bearer <token>'.
        SIGTERM or SIGINT stop it after the requests in flight finish.
        """)

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one and prints it).")
    var port = 8080

    @Option(name: .customLong("data"), help: "Data directory (database file, artifacts). Default: $KOUZI_DATA or ./kouzi-data.")
    var dataDirectory: String?

    @Option(help: "postgres://user:password@host:port/database to share state between processes. Default: $KOUZI_DATABASE or SQLite in the data directory.")
    var database: String?

    @Option(help: "Largest upload in MiB.")
    var maxUploadMib: Int = 2048

    @Option(help: "Log format: text or json.")
    var logFormat = "text"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format must be text or json") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level '\(logLevel)' is not a level") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0…65535") }
        guard maxUploadMib > 0 else { throw ValidationError("--max-upload-mib must be positive") }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let data = dataDirectory ?? environment["KOUZI_DATA"] ?? "kouzi-data"
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let json = logFormat == "json"
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "kouzi")
        let options = ServerOptions(
            host: host, port: port,
            platform: PlatformConfiguration(
                dataDirectory: URL(fileURLWithPath: data, isDirectory: true),
                databaseURL: database ?? environment["KOUZI_DATABASE"],
                maxUploadBytes: Int64(maxUploadMib) << 20))
        try runBlocking { try await KouziServer.run(options, logger: logger) }
    }
}
