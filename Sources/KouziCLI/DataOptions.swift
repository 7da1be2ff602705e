import ArgumentParser
import Foundation
import KouziData
import KouziTasks
import KouziTraining

/// How `--data` is read.
enum DataFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// A CSV file with a header row.
    case csv
    /// A directory of MNIST-style IDX files (`train-images-idx3-ubyte.gz`, …).
    case mnist
}

/// Which half of an MNIST-style directory to use.
enum SplitChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
    case train, test

    var split: MNIST.Split { self == .train ? .train : .test }
}

/// The data options shared by `train` and `evaluate`.
struct DataOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A CSV file (with --target), or a directory of MNIST-style IDX files.", valueName: "path"))
    var data: String?

    @Option(help: "How to read --data: csv or mnist (default: mnist for a directory, csv for a file).")
    var format: DataFormat?

    @Option(help: ArgumentHelp("The column of the CSV file to predict.", valueName: "column"))
    var target: String?

    @Option(help: ArgumentHelp("A CSV column to leave out, such as an id (repeatable).", valueName: "column"))
    var exclude: [String] = []

    @Option(help: "The field separator of the CSV file.")
    var delimiter: String = ","

    @Option(help: ArgumentHelp("An IDX file of images (with --labels).", valueName: "file"))
    var images: String?

    @Option(help: ArgumentHelp("An IDX file of integer labels (with --images).", valueName: "file"))
    var labels: String?

    @Option(help: "The split of an MNIST-style directory: train or test.")
    var split: SplitChoice?

    /// Fails when no data was named (commands that can work without data skip this).
    func requireData() throws {
        if data == nil && images == nil && labels == nil {
            throw ValidationError("no data given: use --data FILE.csv --target COLUMN, --data DIR --format mnist, "
                + "or --images FILE --labels FILE")
        }
    }

    mutating func validate() throws {
        if data != nil && (images != nil || labels != nil) {
            throw ValidationError("give either --data or --images/--labels, not both")
        }
        if (images == nil) != (labels == nil) {
            throw ValidationError(images == nil ? "--labels needs --images" : "--images needs --labels")
        }
        guard delimiter.utf8.count == 1, let byte = delimiter.utf8.first, byte != 0x22, byte != 0x0A, byte != 0x0D else {
            throw ValidationError("--delimiter must be one ASCII character other than a quote or a line break, got '\(delimiter)'")
        }
        let isTable = isCSV
        if !isTable && (target != nil || !exclude.isEmpty) {
            throw ValidationError("--target and --exclude apply to CSV data only")
        }
        if isTable && split != nil {
            throw ValidationError("--split applies to MNIST-style directories only")
        }
    }

    /// Whether the data is a CSV table (decided by --format, else by whether --data names a file).
    var isCSV: Bool {
        guard let data else { return false }
        if let format { return format == .csv }
        return !FileManager.default.isDirectory(data)
    }

    /// A CSV reader for these options.
    var reader: CSVReader { CSVReader(delimiter: Character(delimiter), trimsWhitespace: true) }

    /// Reads the data; an MNIST-style directory gives `defaultSplit` unless --split says otherwise.
    func load(defaultSplit: MNIST.Split) throws -> RawData {
        if let images, let labels { return try RawData.idx(images: images, labels: labels) }
        guard let data else { throw CLIError.failed("no data given") }
        guard FileManager.default.fileExists(atPath: data) else { throw CLIError.missingPath(kind: "data", path: data) }
        if isCSV {
            if FileManager.default.isDirectory(data) {
                throw CLIError.invalidData("--data '\(data)' is a directory; --format csv needs a CSV file")
            }
            var table = try reader.read(file: data)
            if !exclude.isEmpty { table = try table.dropping(exclude) }
            return .table(table, source: data)
        }
        guard FileManager.default.isDirectory(data) else {
            throw CLIError.invalidData("--data '\(data)' is a file; --format mnist needs a directory of IDX files")
        }
        return try RawData.mnist(directory: data, split: split?.split ?? defaultSplit)
    }
}
