import KouziData

/// The profile of an image/label pair of IDX files (MNIST layout), gzipped or not.
///
/// ```swift
/// let summary = try IDXPairSummary.inspect(imagesPath: "train-images-idx3-ubyte.gz",
///                                          labelsPath: "train-labels-idx1-ubyte.gz")
/// // summary.count == 60000, summary.itemShape == [28, 28]
/// ```
public struct IDXPairSummary: Sendable, Codable, Equatable {
    /// The number of examples.
    public var count: Int
    /// The shape of one image (the dimensions after the first).
    public var itemShape: [Int]
    /// The element type of the images (`"ubyte"`, `"float"`, ...).
    public var pixelType: String
    /// Label counts, sorted by label value.
    public var classes: [ClassCount]
    /// The smallest raw pixel value.
    public var pixelMin: Double
    /// The largest raw pixel value.
    public var pixelMax: Double
    /// The mean raw pixel value.
    public var pixelMean: Double
    /// The population standard deviation of the raw pixel values.
    public var pixelStd: Double

    /// Profiles the two files at the given paths.
    ///
    /// - Throws: ``IDXError`` for unreadable or malformed files, ``InspectionError`` when the labels are not
    ///   one-dimensional integers or the counts differ.
    public static func inspect(imagesPath: String, labelsPath: String) throws -> IDXPairSummary {
        try inspect(images: IDXFile(contentsOf: imagesPath), labels: IDXFile(contentsOf: labelsPath))
    }

    /// Profiles two IDX files held in memory.
    public static func inspect(imagesBytes: [UInt8], imagesName: String = "images",
                               labelsBytes: [UInt8], labelsName: String = "labels") throws -> IDXPairSummary {
        try inspect(images: IDXFile(bytes: imagesBytes, source: imagesName), labels: IDXFile(bytes: labelsBytes, source: labelsName))
    }

    /// Profiles two parsed IDX files.
    public static func inspect(images: IDXFile, labels: IDXFile) throws -> IDXPairSummary {
        guard images.shape.count >= 1 else {
            throw InspectionError.badIDXShape(file: images.source, shape: images.shape, reason: "images need at least one dimension")
        }
        guard labels.shape.count == 1 else {
            throw InspectionError.badIDXShape(file: labels.source, shape: labels.shape, reason: "labels must be one-dimensional")
        }
        guard labels.dataType.isIntegral else {
            throw InspectionError.badIDXShape(file: labels.source, shape: labels.shape, reason: "labels must be integers, not \(labels.dataType)")
        }
        guard images.shape[0] == labels.shape[0] else {
            throw InspectionError.countMismatch(images: images.source, imageCount: images.shape[0],
                                                labels: labels.source, labelCount: labels.shape[0])
        }
        let pixels = images.floatTensor().scalars
        var lo = Double.infinity, hi = -Double.infinity, sum = 0.0, squares = 0.0
        for p in pixels {
            let v = Double(p)
            lo = min(lo, v)
            hi = max(hi, v)
            sum += v
            squares += v * v
        }
        let n = Double(max(pixels.count, 1))
        let mean = sum / n
        var counts: [Int: Int] = [:]
        for label in try labels.int64Tensor().intScalars { counts[label, default: 0] += 1 }
        return IDXPairSummary(count: images.shape[0], itemShape: Array(images.shape.dropFirst()),
                              pixelType: images.dataType.description,
                              classes: counts.sorted { $0.key < $1.key }.map { ClassCount(name: String($0.key), count: $0.value) },
                              pixelMin: pixels.isEmpty ? 0 : lo, pixelMax: pixels.isEmpty ? 0 : hi,
                              pixelMean: mean, pixelStd: max(0, squares / n - mean * mean).squareRoot())
    }
}
