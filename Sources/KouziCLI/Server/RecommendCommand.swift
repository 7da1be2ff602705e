import KouziBase
import ArgumentParser
import Foundation
import KouziNN

extension DeploymentsCommand {
    /// `kouzi deployments recommend NAME --user U` / `--history a,b` / `--similar-to ITEM`.
    struct Recommend: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask a recommender deployment for a user's top-N items, a new user's (from a history), or similar items.",
            discussion: """
            Examples:
              kouzi deployments recommend movies --user 196 -k 10
              kouzi deployments recommend movies --history 50,172,181 --ratings 5,5,4
              kouzi deployments recommend movies --similar-to 50
            """)
        @OptionGroup var options: ClientOptions
        @OptionGroup var project: ProjectOption
        @Argument(help: "The deployment name.") var name: String
        @Option(help: "A user id the model knows (unknown ones get the most popular items).") var user: String?
        @Option(help: "Item ids of a new user's history, comma-separated.") var history: String?
        @Option(help: "Their ratings, comma-separated, one per history item (rating models).") var ratings: String?
        @Option(name: .customLong("similar-to"), help: "An item id: list the items most similar to it.") var item: String?
        @Option(name: .short, help: "How many items.") var k = 10
        @Flag(help: "Keep items the user saw in training.") var includeSeen = false

        func validate() throws {
            guard [user, history, item].compactMap({ $0 }).count == 1 else {
                throw ValidationError("give exactly one of --user, --history and --similar-to")
            }
            if ratings != nil && history == nil { throw ValidationError("--ratings goes with --history") }
        }

        func run() throws {
            let client = try options.client()
            let value: JSONValue
            if let item {
                value = try client.json("POST", project.path + "/deployments/\(name)/similar-items",
                                        body: .object(["item": .string(item), "k": .number(Double(k))]))
            } else {
                var body: [String: JSONValue] = ["k": .number(Double(k)), "excludeSeen": .bool(!includeSeen)]
                if let user { body["user"] = .string(user) }
                if let history { body["history"] = .array(history.split(separator: ",").map { .string(String($0)) }) }
                if let ratings {
                    body["ratings"] = .array(try ratings.split(separator: ",").map { text in
                        guard let r = Double(text) else { throw ValidationError("--ratings: '\(text)' is not a number") }
                        return .number(r)
                    })
                }
                value = try client.json("POST", project.path + "/deployments/\(name)/recommendations", body: .object(body))
            }
            options.emit(value) { value in
                let note = value["coldStart"]?.boolValue == true ? ["(unknown user: the most popular items)"] : []
                return note + table(["ITEM", "SCORE"], (value["items"]?.arrayValue ?? []).map { [$0.text("item"), $0.text("score")] })
            }
        }
    }
}
