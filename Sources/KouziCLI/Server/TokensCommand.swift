import KouziBase
import ArgumentParser
import KouziNN

/// `kouzi tokens …`: API tokens of the caller.
struct TokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "List, create and revoke API tokens on a server.",
        subcommands: [List.self, Create.self, Revoke.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")
        @OptionGroup var options: ClientOptions
        func run() throws {
            let value = try options.client().json("GET", "/api/v1/tokens")
            options.emit(value) { value in
                table(["ID", "NAME", "ROLE", "PREFIX", "REVOKED"],
                      value.items.map { [$0.text("id"), $0.text("name"), $0.text("role"), $0.text("prefix"), $0.text("revokedAt")] })
            }
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token; its secret is printed once.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "A name for the token.") var name: String
        @Option(help: "viewer, editor or admin.") var role = "editor"
        @Option(help: "Create it for this user id (server admins).") var user: Int64?
        func run() throws {
            var body: [String: JSONValue] = ["name": .string(name), "role": .string(role)]
            if let user { body["userID"] = .number(Double(user)) }
            let value = try options.client().json("POST", "/api/v1/tokens", body: .object(body))
            options.emit(value) { ["token \($0["token"]?.text("id") ?? "?") created; its secret (shown once):", $0.text("secret")] }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The token's id.") var id: Int64
        func run() throws {
            let value = try options.client().json("DELETE", "/api/v1/tokens/\(id)")
            options.emit(value) { ["token \($0.text("id")) revoked"] }
        }
    }
}
