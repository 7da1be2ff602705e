import KouziBase
import ArgumentParser
import Foundation
import KouziNN

/// `kouzi datasets …`: data management on a server.
struct DatasetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasets", abstract: "Create, upload, inspect, clean and download datasets on a server.",
        subcommands: [List.self, Create.self, Upload.self, Versions.self, Show.self, Profile.self, Quality.self,
                      Clean.self, Download.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the project's datasets.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        func run() throws {
            let value = try options.client().json("GET", project.path + "/datasets")
            options.emit(value) { value in
                table(["ID", "NAME", "LATEST", "DESCRIPTION"],
                      value.items.map { [$0.text("id"), $0.text("name"), $0.text("latestVersion"), $0.text("description")] })
            }
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an empty dataset.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The dataset's name.") var name: String
        @Option(help: "What it holds.") var description = ""
        func run() throws {
            let value = try options.client().json("POST", project.path + "/datasets",
                                                   body: .object(["name": .string(name), "description": .string(description)]))
            options.emit(value) { ["dataset \($0.text("id")) '\($0.text("name"))' created"] }
        }
    }

    struct Upload: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upload files as the dataset's next version.",
            discussion: "One file for csv, image-folder (ZIP), audio-folder (ZIP) and text; the images and labels files for idx.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The dataset id.") var dataset: Int64
        @Argument(help: "The files.") var files: [String]
        @Option(help: "csv, idx, image-folder, audio-folder or text.") var format: String
        @Option(help: "The label column of a table.") var target: String?
        func run() throws {
            let client = try options.client()
            let urls = files.map { URL(fileURLWithPath: $0) }
            let value: JSONValue
            if urls.count == 1 {
                value = try client.upload(project.path + "/datasets/\(dataset)/versions/upload", file: urls[0],
                                          query: ["format": format, "filename": urls[0].lastPathComponent, "target": target])
            } else {
                var refs: [JSONValue] = []
                for url in urls {
                    let stored = try client.upload(project.path + "/uploads", file: url)
                    refs.append(.object(["name": .string(url.lastPathComponent), "sha256": stored["sha256"] ?? .null]))
                }
                var body: [String: JSONValue] = ["format": .string(format), "files": .array(refs)]
                if let target { body["target"] = .string(target) }
                value = try client.json("POST", project.path + "/datasets/\(dataset)/versions", body: .object(body))
            }
            options.emit(value) { ["version \($0.text("number")) of dataset \($0.text("datasetID")): \($0.text("kind")), \($0.text("rowCount")) rows, hash \($0.text("contentHash").prefix(12))"] }
        }
    }

    struct Versions: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a dataset's versions and their lineage.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The dataset id.") var dataset: Int64
        func run() throws {
            let value = try options.client().json("GET", project.path + "/datasets/\(dataset)/versions")
            options.emit(value) { value in
                table(["VERSION", "PARENT", "KIND", "ROWS", "OPERATION", "HASH"],
                      value.items.map { [$0.text("number"), $0.text("parentNumber"), $0.text("kind"), $0.text("rowCount"),
                                         $0["operation"]?.text("type") ?? "-", String($0.text("contentHash").prefix(12))] })
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one version.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The dataset id.") var dataset: Int64
        @Argument(help: "The version number.") var version: Int64
        func run() throws {
            let value = try options.client().json("GET", project.path + "/datasets/\(dataset)/versions/\(version)")
            options.emit(value) { [$0.rendered(pretty: true)] }
        }
    }

    struct Profile: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a version's profile.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The dataset id.") var dataset: Int64
        @Argument(help: "The version number.") var version: Int64
        func run() throws {
            let value = try options.client().json("GET", project.path + "/datasets/\(dataset)/versions/\(version)/profile")
            options.emit(value) { value in
                guard let columns = value["columns"]?.arrayValue else { return [value.rendered(pretty: true)] }
                return ["\(value.text("rowCount")) rows"] + table(
                    ["COLUMN", "TYPE", "MISSING", "DISTINCT", "MIN", "MAX", "MEAN"],
                    columns.map { column in
                        let numeric = column["numeric"] ?? .null
                        return [column.text("name"), column.text("type"), column.text("missingCount"), column.text("distinctCount"),
                                numeric.text("min"), numeric.text("max"), numeric.text("mean")]
                    })
            }
        }
    }

    struct Quality: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a table version's data-quality report.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The dataset id.") var dataset: Int64
        @Argument(help: "The version number.") var version: Int64
        func run() throws {
            let value = try options.client().json("GET", project.path + "/datasets/\(dataset)/versions/\(version)/quality")
            options.emit(value) { value in
                let issues = value["issues"]?.arrayValue ?? []
                return ["\(issues.count) issue(s)"] + issues.map { "  [\($0.text("severity"))] \($0.text("message"))" }
            }
        }
    }

    struct Clean: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a cleaning pipeline (a JSON file with a list of steps) on a version.",
            discussion: #"Example pipeline: [{"op": "dropDuplicates"}, {"op": "impute", "columns": ["age"], "strategy": "median"}]"#)
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The dataset id.") var dataset: Int64
        @Argument(help: "The version number.") var version: Int64
        @Option(help: "The pipeline file.") var pipeline: String
        @Flag(help: "Only show what the pipeline would do.") var preview = false
        func run() throws {
            guard let data = FileManager.default.contents(atPath: pipeline) else { throw CLIError.missingPath(kind: "pipeline file", path: pipeline) }
            let steps: JSONValue
            do { steps = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
                throw CLIError.invalidData("\(pipeline) is not valid JSON: \(error)")
            }
            let body = JSONValue.object(["steps": steps["steps"] ?? steps])
            let path = project.path + "/datasets/\(dataset)/versions/\(version)/clean" + (preview ? "/preview" : "")
            let value = try options.client().json("POST", path, body: body)
            options.emit(value) { value in
                let result = value["result"] ?? .null
                var lines = (result["steps"]?.arrayValue ?? []).map {
                    "step \($0.text("step")) \($0.text("op")): rows \($0.text("rowsBefore")) → \($0.text("rowsAfter")), cells changed \($0.text("cellsChanged"))"
                }
                if let version = value["version"], version != .null {
                    lines.append("version \(version.text("number")) created from \(version.text("parentNumber"))")
                } else {
                    lines.append("preview: \(result.text("rowCount")) rows would result")
                }
                return lines
            }
        }
    }

    struct Download: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Download a version's file, or all its files as a ZIP.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The dataset id.") var dataset: Int64
        @Argument(help: "The version number.") var version: Int64
        @Option(help: "Which file of the version (default: the first).") var file: String?
        @Flag(help: "All files of the version as one ZIP.") var all = false
        @Option(name: .shortAndLong, help: "Where to write it.") var output: String
        func validate() throws {
            if all && file != nil { throw ValidationError("give --file or --all, not both") }
        }
        func run() throws {
            let base = project.path + "/datasets/\(dataset)/versions/\(version)"
            let path = all ? base + "/archive"
                : file.map { base + "/files/" + ($0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? $0) } ?? base + "/download"
            let size = try options.client().download(path, to: URL(fileURLWithPath: output))
            options.emit(.object(["path": .string(output), "size": .number(Double(size))])) { _ in ["wrote \(size) bytes to \(output)"] }
        }
    }
}
