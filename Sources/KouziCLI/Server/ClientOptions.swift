import KouziBase
import ArgumentParser
import Foundation
import KouziNN

/// Options shared by the commands that talk to a server.
struct ClientOptions: ParsableArguments {
    @Option(help: "Server URL. Default: $KOUZI_SERVER or http://127.0.0.1:8080. The token comes from $KOUZI_TOKEN.")
    var server: String?

    @Flag(help: "Print the server's JSON answer.")
    var json = false

    func client() throws -> APIClient { try APIClient(server: server) }

    /// Prints the answer: its JSON with `--json`, else the human lines.
    func emit(_ value: JSONValue, _ human: (JSONValue) -> [String]) {
        if json { Console.current.printJSON(value) } else { human(value).forEach(Console.current.print) }
    }
}

/// Options of commands that work inside one project.
struct ProjectOption: ParsableArguments {
    @Option(help: "Project id. Default: $KOUZI_PROJECT or 1.")
    var project: Int64?

    var id: Int64 { project ?? ProcessInfo.processInfo.environment["KOUZI_PROJECT"].flatMap(Int64.init) ?? 1 }
    var path: String { "/api/v1/projects/\(id)" }
}

extension JSONValue {
    subscript(_ key: String) -> JSONValue? { objectValue?[key] }

    /// A field as display text.
    func text(_ key: String) -> String {
        switch self[key] {
        case let .string(s)?: return s
        case let .number(n)?: return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case let .bool(b)?: return String(b)
        case nil, .null?: return "-"
        case let value?: return value.rendered()
        }
    }

    var items: [JSONValue] { arrayValue ?? [] }
}

/// Formats rows as aligned columns.
func table(_ header: [String], _ rows: [[String]]) -> [String] {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    return all.map { row in
        row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
            .trimmingCharacters(in: .whitespaces)
    }
}
