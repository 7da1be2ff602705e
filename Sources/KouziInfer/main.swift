import Foundation
import KouziInference
import KouziTasks
import KouziTraining

// `kouzi-infer`: predicts with an edge bundle or a `.kouzi` model, with no server.

/// Writes `text` to standard error.
func report(_ text: String) {
    try? FileHandle.standardError.write(contentsOf: Data(("kouzi-infer: " + text + "\n").utf8))
}

/// The `model/` folder next to this executable, the model of the bundle it sits in.
func bundledModel() -> String? {
    #if os(Linux)
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    #else
    guard let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() else { return nil }
    #endif
    let folder = executable.deletingLastPathComponent().appendingPathComponent(EdgeManifest.modelFolder)
    return FileManager.default.fileExists(atPath: folder.path) ? folder.path : nil
}

/// Reads the input file, or standard input for nil or "-".
func readInput(_ path: String?) throws -> (bytes: Data, source: String) {
    guard let path, path != "-" else { return (FileHandle.standardInput.readDataToEndOfFile(), "standard input") }
    guard FileManager.default.fileExists(atPath: path) else {
        throw InferenceError.unreadable(source: "'\(path)'", reason: "the file does not exist")
    }
    do { return (try Data(contentsOf: URL(fileURLWithPath: path)), "'\(path)'") } catch {
        throw InferenceError.unreadable(source: "'\(path)'", reason: error.localizedDescription)
    }
}

/// Writes the answer to `path`, or to standard output.
func write(_ answer: Data, to path: String?) throws {
    guard let path else {
        do { try FileHandle.standardOutput.write(contentsOf: answer) } catch {
            throw InferenceError.unwritable(destination: "standard output", reason: error.localizedDescription)
        }
        return
    }
    do { try answer.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
        throw InferenceError.unwritable(destination: "'\(path)'", reason: error.localizedDescription)
    }
}

/// Runs the command line; returns the exit status.
func run(_ arguments: [String]) -> Int32 {
    let options: InferArguments
    do { options = try InferArguments(arguments) } catch {
        report("\(error)\n\n" + InferArguments.usage)
        return 2
    }
    if options.help {
        print(InferArguments.usage)
        return 0
    }
    guard let path = options.model ?? bundledModel() else {
        report("no --model given and no model/ folder next to this executable; pass --model DIR")
        return 2
    }
    do {
        let model = try EdgeModel(path: path)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if options.metadata {
            try write(try encoder.encode(model.metadata) + Data("\n".utf8), to: options.output)
            return 0
        }
        let (bytes, source) = try readInput(options.input)
        switch options.format {
        case .v2:
            try write(try model.infer(json: bytes, source: source) + Data("\n".utf8), to: options.output)
        case .csv:
            try write(Data(try model.predictCSV(Array(bytes), source: source, delimiter: options.delimiter).utf8), to: options.output)
        }
        return 0
    } catch {
        report("\(error)")
        return 1
    }
}

exit(run(Array(CommandLine.arguments.dropFirst())))
