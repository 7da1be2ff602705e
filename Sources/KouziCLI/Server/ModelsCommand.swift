import KouziBase
import ArgumentParser
import Foundation
import KouziFormats
import KouziNN

/// `kouzi models …`: the model registry on a server.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models", abstract: "Register, list, alias and download model versions on a server.",
        subcommands: [List.self, Create.self, Register.self, Versions.self, Show.self, Alias.self, Download.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the project's models.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        func run() throws {
            let value = try options.client().json("GET", project.path + "/models")
            options.emit(value) { value in
                table(["ID", "NAME", "LATEST", "ALIASES"], value.items.map { model in
                    let aliases = (model["aliases"]?.objectValue ?? [:]).sorted { $0.key < $1.key }
                        .map { "\($0.key)→\(JSONValue.object(["v": $0.value]).text("v"))" }.joined(separator: " ")
                    return [model.text("id"), model.text("name"), model.text("latestVersion"), aliases.isEmpty ? "-" : aliases]
                })
            }
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a model.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The model's name.") var name: String
        @Option(help: "What it does.") var description = ""
        func run() throws {
            let value = try options.client().json("POST", project.path + "/models",
                                                   body: .object(["name": .string(name), "description": .string(description)]))
            options.emit(value) { ["model \($0.text("id")) '\($0.text("name"))' created"] }
        }
    }

    struct Register: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a .kouzi model (directory or ZIP) or an ONNX file as the model's next version.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The model id.") var model: Int64
        @Argument(help: "The .kouzi directory, a ZIP of it, or an .onnx file.") var package: String
        @Option(help: "What this version is.") var description: String?
        @Option(help: #"Metrics as JSON, e.g. {"accuracy": 0.91}."#) var metrics: String?
        @Option(help: #"Tags as JSON, e.g. {"owner": "vision"}."#) var tags: String?
        @Option(help: "Lineage: the training dataset id.") var dataset: Int64?
        @Option(help: "Lineage: the training dataset version.") var datasetVersion: Int64?
        @Option(name: .customLong("run"), help: "Lineage: the training run.") var runID: String?

        func run() throws {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: package, isDirectory: &isDirectory) else {
                throw CLIError.missingPath(kind: "model package", path: package)
            }
            var file = URL(fileURLWithPath: package)
            var temporary: URL?
            if isDirectory.boolValue {
                let zip = FileManager.default.temporaryDirectory.appendingPathComponent("kouzi-\(UUID().uuidString).zip")
                let writer = try ZipWriter(path: zip.path)
                for name in [ModelFile.manifestName, ModelFile.weightsName] {
                    let source = file.appendingPathComponent(name).path
                    guard FileManager.default.fileExists(atPath: source) else { throw CLIError.invalidModel(path: package, reason: "\(name) is missing") }
                    try writer.addFile(named: name, contentsOf: source)
                }
                try writer.finish()
                temporary = zip
                file = zip
            }
            defer { if let temporary { try? FileManager.default.removeItem(at: temporary) } }
            let onnx = file.pathExtension.lowercased() == "onnx"
            let value = try options.client().upload(
                project.path + "/models/\(model)/versions", file: file,
                query: ["format": onnx ? "onnx" : nil, "description": description, "metrics": metrics, "tags": tags,
                        "datasetId": dataset.map(String.init), "datasetVersion": datasetVersion.map(String.init), "runId": runID],
                contentType: onnx ? "application/octet-stream" : "application/zip")
            options.emit(value) { ["version \($0.text("number")) of model \($0.text("modelID")) registered (sha256 \($0.text("packageSHA256").prefix(12)))"] }
        }
    }

    struct Versions: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a model's versions.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The model id.") var model: Int64
        func run() throws {
            let value = try options.client().json("GET", project.path + "/models/\(model)/versions")
            options.emit(value) { value in
                table(["VERSION", "ALIASES", "METRICS", "DATASET", "DESCRIPTION"], value.items.map { version in
                    let lineage = version["lineage"] ?? .null
                    let dataset = lineage["datasetID"] == nil ? "-" : "\(lineage.text("datasetID"))@\(lineage.text("datasetVersion"))"
                    return [version.text("number"), (version["aliases"]?.items.compactMap(\.stringValue) ?? []).joined(separator: ","),
                            version["metrics"].map { $0.rendered() } ?? "-", dataset, version.text("description")]
                })
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one version (number or alias).")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The model id.") var model: Int64
        @Argument(help: "Version number or alias.") var version: String
        func run() throws {
            let value = try options.client().json("GET", project.path + "/models/\(model)/versions/\(version)")
            options.emit(value) { [$0.rendered(pretty: true)] }
        }
    }

    struct Alias: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Point an alias at a version (or remove it with --delete).")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The model id.") var model: Int64
        @Argument(help: "The alias, e.g. production.") var alias: String
        @Argument(help: "The version number.") var version: Int64?
        @Flag(help: "Remove the alias.") var delete = false
        func validate() throws {
            if delete == (version != nil) { throw ValidationError("give a version number, or --delete") }
        }
        func run() throws {
            let path = project.path + "/models/\(model)/aliases/\(alias)"
            if delete {
                let value = try options.client().json("DELETE", path)
                options.emit(value) { _ in ["alias '\(alias)' removed"] }
            } else {
                let value = try options.client().json("PUT", path, body: .object(["version": .number(Double(version!))]))
                options.emit(value) { _ in ["alias '\(alias)' → version \(version!)"] }
            }
        }
    }

    struct Download: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Download a version's package (ZIP), or the version as an ONNX file.")
        enum Format: String, ExpressibleByArgument, CaseIterable { case kouzi, onnx }
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The model id.") var model: Int64
        @Argument(help: "Version number or alias.") var version: String
        @Option(name: .shortAndLong, help: "Where to write the file.") var output: String
        @Option(help: "The package (kouzi) or an ONNX model (onnx).") var format: Format = .kouzi
        func run() throws {
            let size = try options.client().download(project.path + "/models/\(model)/versions/\(version)/download",
                                                     query: ["format": format == .onnx ? "onnx" : nil],
                                                     to: URL(fileURLWithPath: output))
            options.emit(.object(["path": .string(output), "size": .number(Double(size))])) { _ in ["wrote \(size) bytes to \(output)"] }
        }
    }
}
