import Foundation
import KouziBase
import KouziData
import KouziTensor
import KouziTraining

/// Examples of the supervised tasks as read from disk, before any fitted transform: a table, or labelled images.
package enum RawData: TrainingExamples {
    /// A CSV table.
    case table(DataTable, source: String)
    /// Images `[N, H·W…]` in float32 with integer labels `[N]`.
    case images(ImageSet)

    /// IDX images with their labels.
    package struct ImageSet {
        /// The flattened pixels, `[N, features]`.
        package var x: Tensor
        /// The labels.
        package var labels: [Int]
        /// The shape of one image in the file.
        package var sampleShape: [Int]
        /// Whether integer pixels were mapped onto [0, 1].
        package var normalized: Bool
        /// Where the images came from, for messages.
        package var source: String
        /// Class names in label order, when the data set names its classes (a `classes.txt` beside the files).
        package var classNames: [String]?
    }


    /// Where the examples came from.
    package var source: String {
        switch self {
        case let .table(_, source): return source
        case let .images(set): return set.source
        }
    }

    /// Number of examples.
    package var count: Int {
        switch self {
        case let .table(table, _): return table.rowCount
        case let .images(set): return set.labels.count
        }
    }

    /// Reads one split of an MNIST-style directory.
    package static func mnist(directory: String, split: MNIST.Split) throws -> RawData {
        let (x, y) = try MNIST.load(directory: directory, split: split, flatten: false)
        let sample = Array(x.shape.dropFirst())
        let flat = x.reshaped([x.shape[0], sample.reduce(1, *)])
        let names = try classNames(at: directory + "/" + ClassNamesFile.name)
        return .images(ImageSet(x: flat, labels: y.intScalars, sampleShape: sample, normalized: true,
                                source: "\(directory) (\(split.rawValue) split)", classNames: names))
    }

    /// Reads an IDX images file and an IDX labels file (and the class names, when a file names them).
    package static func idx(images: String, labels: String, classes: String? = nil) throws -> RawData {
        for path in [images, labels] where !FileManager.default.fileExists(atPath: path) {
            throw TrainingError.missingPath(kind: path == images ? "images file" : "labels file", path: path)
        }
        return try idx(images: try IDXFile(contentsOf: images), labels: try IDXFile(contentsOf: labels), classes: classes)
    }

    /// Labelled images from read IDX files.
    static func idx(images imageFile: IDXFile, labels labelFile: IDXFile, classes: String?) throws -> RawData {
        let images = imageFile.source, labels = labelFile.source
        guard imageFile.shape.count >= 2 else {
            throw TrainingError.invalidData("\(images): an IDX file of shape \(imageFile.shape) holds no images (is it the labels file?)")
        }
        guard labelFile.shape.count == 1 else {
            throw TrainingError.invalidData("\(labels): labels must be a 1-D IDX file, got shape \(labelFile.shape)")
        }
        guard imageFile.shape[0] == labelFile.shape[0] else {
            throw IDXError.countMismatch(images: images, imageCount: imageFile.shape[0], labels: labels, labelCount: labelFile.shape[0])
        }
        let sample = Array(imageFile.shape.dropFirst())
        let normalized = imageFile.dataType == .ubyte
        let x = imageFile.floatTensor(normalized: normalized).reshaped([imageFile.shape[0], sample.reduce(1, *)])
        let names = try classes.flatMap(classNames(at:))
        return .images(ImageSet(x: x, labels: try labelFile.int64Tensor().intScalars, sampleShape: sample,
                                normalized: normalized, source: images, classNames: names))
    }

    /// Reads a data source of the supervised kinds: a CSV table, or an IDX images file, its labels file and an
    /// optional class names file (told apart by their contents).
    package static func read(_ source: TrainingDataSource) throws -> RawData {
        switch source.format {
        case "csv":
            guard source.files.count == 1 else { throw TrainingError.invalidData("\(source.name): a CSV data set is one file") }
            return .table(try CSVReader(delimiter: ",", trimsWhitespace: true).read(file: source.files[0]), source: source.files[0])
        case "idx":
            let classes = source.files.first { $0.hasSuffix(".txt") }
            let pair = source.files.filter { !$0.hasSuffix(".txt") }
            guard pair.count == 2 else {
                throw TrainingError.invalidData("\(source.name): an IDX data set is an images file and a labels file (and classes.txt)")
            }
            for path in pair where !FileManager.default.fileExists(atPath: path) {
                throw TrainingError.missingPath(kind: "IDX file", path: path)
            }
            // The labels are the one-dimensional file.
            let files = try pair.map { try IDXFile(contentsOf: $0) }
            let labelsFirst = files[0].shape.count == 1
            return try idx(images: files[labelsFirst ? 1 : 0], labels: files[labelsFirst ? 0 : 1], classes: classes)
        default:
            throw TrainingError.invalidData("\(source.name): the supervised tasks read csv and idx data, not \(source.format)")
        }
    }

    /// The class names a file names, as a training error.
    private static func classNames(at path: String) throws -> [String]? {
        do { return try ClassNamesFile.read(path) } catch { throw TrainingError.invalidData("\(error)") }
    }
}
