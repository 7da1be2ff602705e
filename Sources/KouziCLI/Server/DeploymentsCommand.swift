import KouziBase
import ArgumentParser
import Foundation
import KouziNN

/// `kouzi deployments …`: model versions served on a server.
struct DeploymentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deployments", abstract: "Deploy model versions, move and remove deployments on a server.",
        discussion: """
        Examples:
          kouzi deployments create iris --model 1 --version production
          kouzi deployments move iris --version 3
          kouzi deployments list
          kouzi deployments export iris --out iris-edge
        A deployment answers on the Open Inference Protocol at /v2/models/NAME/infer and on
        /v1/models/NAME:predict; `curl -H "Authorization: Bearer $KOUZI_TOKEN" $KOUZI_SERVER/metrics` (a server
        administrator's token) shows its request counts and latencies.
        """,
        subcommands: [List.self, Create.self, Show.self, Move.self, Delete.self, Recommend.self, Export.self])

    static func line(_ d: JSONValue) -> String {
        "\(d.text("name")): model \(d.text("modelID")) v\(d.text("version"))\(d["alias"].map { _ in " (follows \(d.text("alias")))" } ?? "") "
            + "— \(d.text("state"))" + (d["error"].map { _ in "; \(d.text("error"))" } ?? "")
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the project's deployments.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        func run() throws {
            let value = try options.client().json("GET", project.path + "/deployments")
            options.emit(value) { value in
                table(["NAME", "MODEL", "VERSION", "ALIAS", "STATE"], value.items.map {
                    [$0.text("name"), $0.text("modelID"), $0.text("version"), $0.text("alias"), $0.text("state")]
                })
            }
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deploy a model version (or an alias, which it then follows).")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The endpoint name (unique across projects).") var name: String
        @Option(help: "The registered model id.") var model: Int64
        @Option(help: "A version number, an alias, or latest.") var version = "latest"
        func run() throws {
            let value = try options.client().json("POST", project.path + "/deployments", body: .object([
                "name": .string(name), "model": .number(Double(model)), "version": .string(version)]))
            options.emit(value) { [DeploymentsCommand.line($0)] }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a deployment and its load state.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The deployment name.") var name: String
        func run() throws {
            let value = try options.client().json("GET", project.path + "/deployments/\(name)")
            options.emit(value) { [DeploymentsCommand.line($0)] }
        }
    }

    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve another version; the current one answers until it is ready.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The deployment name.") var name: String
        @Option(help: "A version number, an alias, or latest.") var version: String
        func run() throws {
            let value = try options.client().json("PUT", project.path + "/deployments/\(name)", body: .object(["version": .string(version)]))
            options.emit(value) { [DeploymentsCommand.line($0)] }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Undeploy.")
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The deployment name.") var name: String
        func run() throws {
            _ = try options.client().json("DELETE", project.path + "/deployments/\(name)")
            options.emit(.object(["deleted": .string(name)])) { _ in ["\(name) undeployed"] }
        }
    }
}
