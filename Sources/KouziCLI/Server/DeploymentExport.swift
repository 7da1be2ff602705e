import ArgumentParser
import Foundation
import KouziInference
import KouziNN
import KouziPlatform
import KouziTraining

extension DeploymentsCommand {
    /// `kouzi deployments export NAME --out DIR`: an edge bundle of what the deployment serves.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export the deployed version as an edge bundle that predicts with no server.",
            discussion: """
            Writes DIR/model/ (the .kouzi model of the version the deployment serves), DIR/kouzi-infer (taken
            from next to this kouzi, or --binary), DIR/manifest.json and DIR/README.txt. Then, with no server:
              DIR/kouzi-infer --input request.json
              DIR/kouzi-infer --format csv --input rows.csv
            """)
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The deployment name.") var name: String
        @Option(help: ArgumentHelp("The bundle folder to write.", valueName: "dir")) var out: String
        @Option(help: ArgumentHelp("The kouzi-infer executable to copy (default: the one next to kouzi).", valueName: "path"))
        var binary: String?
        @Flag(help: "Replace the folder if it exists.") var force = false

        func run() throws {
            let binaryURL = try binary.map { path -> URL in
                guard FileManager.default.isExecutableFile(atPath: path) else { throw EdgeBundleError.missingBinary(path: path) }
                return URL(fileURLWithPath: path)
            } ?? EdgeBundle.binary(besides: Self.runningExecutable)
            let destination = URL(fileURLWithPath: out).standardizedFileURL
            if FileManager.default.fileExists(atPath: destination.path) && !force {
                throw EdgeBundleError.destinationExists(path: destination.path)
            }
            let client = try options.client()
            let deployment = try client.json("GET", project.path + "/deployments/\(name)")
            // The version answering now (the previous one while a moved deployment loads its new one).
            guard let modelID = deployment["modelID"]?.intValue,
                  let version = deployment["servingVersion"]?.intValue ?? deployment["version"]?.intValue else {
                throw CLIError.failed("the server's answer for deployment '\(name)' names no model and version")
            }
            let model = try client.json("GET", project.path + "/models/\(modelID)")
            let parent = destination.deletingLastPathComponent()
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            let package = parent.appendingPathComponent(".\(destination.lastPathComponent).package-\(UUID().uuidString).zip")
            defer { try? FileManager.default.removeItem(at: package) }
            _ = try client.download(project.path + "/models/\(modelID)/versions/\(version)/download", to: package)
            let source = EdgeBundle.Source(deployment: deployment.text("name"),
                                           model: EdgeManifest.Model(id: Int64(modelID), name: model.text("name")),
                                           version: Int64(version))
            let manifest = try EdgeBundle.write(source, package: package.path, binary: binaryURL, to: destination, replace: force)
            options.emit(.object([
                "path": .string(destination.path), "deployment": .string(manifest.deployment),
                "model": .number(Double(manifest.model.id)), "version": .number(Double(manifest.version)),
                "files": .array(manifest.files.keys.sorted().map { .string($0) }),
            ])) { _ in
                ["exported '\(manifest.deployment)' (model \(manifest.model.id) v\(manifest.version)) to \(destination.path); "
                    + "run \(destination.appendingPathComponent(EdgeBundle.binaryName).path) --help"]
            }
        }

        /// The running `kouzi` executable.
        static var runningExecutable: URL {
            #if os(Linux)
            return URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            #else
            return Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
            #endif
        }
    }
}
