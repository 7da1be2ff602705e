import Foundation

/// The command line of `kouzi-infer`, parsed.
struct InferArguments: Equatable {
    /// What the input holds and the answer is.
    enum Format: String, Equatable { case v2, csv }

    /// A command line that cannot be used.
    enum UsageError: Error, CustomStringConvertible, Equatable {
        case missingValue(String)
        case unknownOption(String)
        case invalidValue(option: String, value: String, expected: String)

        var description: String {
            switch self {
            case let .missingValue(option): return "\(option) needs a value"
            case let .unknownOption(option): return "unknown option '\(option)'"
            case let .invalidValue(option, value, expected): return "\(option) '\(value)' is not valid: expected \(expected)"
            }
        }
    }

    static let usage = """
        Usage: kouzi-infer [--model DIR] [--input FILE|-] [--format v2|csv] [--delimiter C] [--output FILE]
               kouzi-infer [--model DIR] --metadata

        Predicts with an exported model, with no server. The model is an edge bundle (`kouzi deployments export`),
        its model/ folder, or a .kouzi directory; without --model, the model/ folder next to this executable.

          --model DIR      the bundle or model directory
          --input FILE     the request (default: standard input, also "-")
          --format v2      an Open Inference Protocol (V2) infer request as JSON; prints the V2 response (default)
          --format csv     CSV rows with a header; prints the label and class probabilities, or the predictions
          --delimiter C    the CSV field separator (default ",")
          --output FILE    write the answer to FILE instead of standard output
          --metadata       print the model's V2 metadata (inputs and outputs)
          --help           print this text

        Exit status: 0 on success, 1 when the model or the input cannot be used, 2 for a bad command line.
        """

    var model: String?
    var input: String?
    var output: String?
    var format = Format.v2
    var delimiter: Character = ","
    var metadata = false
    var help = false

    /// Reads the arguments after the executable's name.
    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        func value(_ option: String) throws -> String {
            guard let next = rest.popFirst() else { throw UsageError.missingValue(option) }
            return next
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--model": model = try value(argument)
            case "--input": input = try value(argument)
            case "--output": output = try value(argument)
            case "--format":
                let text = try value(argument)
                guard let chosen = Format(rawValue: text.lowercased()) else {
                    throw UsageError.invalidValue(option: argument, value: text, expected: "v2 or csv")
                }
                format = chosen
            case "--delimiter":
                let text = try value(argument)
                guard text.utf8.count == 1, let byte = text.utf8.first, byte != 0x22, byte != 0x0A, byte != 0x0D else {
                    throw UsageError.invalidValue(option: argument, value: text,
                                                  expected: "one ASCII character other than a quote or a line break")
                }
                delimiter = Character(text)
            case "--metadata": metadata = true
            case "--help", "-h": help = true
            default: throw UsageError.unknownOption(argument)
            }
        }
    }
}
