import Foundation
import KouziData
import KouziTensor

/// Examples as read from disk, before any fitted transform.
package enum RawData {
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
        /// Class names when the dataset is recognised (Fashion-MNIST).
        package var classNames: [String]?
    }

    /// The class names of Fashion-MNIST, in label order.
    package static let fashionMNISTClasses = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                                      "Sneaker", "Bag", "Ankle boot"]

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
        let names = directory.lowercased().contains("fashion") ? fashionMNISTClasses : nil
        return .images(ImageSet(x: flat, labels: y.intScalars, sampleShape: sample, normalized: true,
                                source: "\(directory) (\(split.rawValue) split)", classNames: names))
    }

    /// Reads an IDX images file and an IDX labels file.
    package static func idx(images: String, labels: String) throws -> RawData {
        for path in [images, labels] where !FileManager.default.fileExists(atPath: path) {
            throw TrainingError.missingPath(kind: path == images ? "images file" : "labels file", path: path)
        }
        let imageFile = try IDXFile(contentsOf: images)
        let labelFile = try IDXFile(contentsOf: labels)
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
        let names = images.lowercased().contains("fashion") ? fashionMNISTClasses : nil
        return .images(ImageSet(x: x, labels: try labelFile.int64Tensor().intScalars, sampleShape: sample,
                                normalized: normalized, source: images, classNames: names))
    }
}
