import KouziBase
import Foundation
import KouziData
import KouziTensor

/// What the training inputs looked like, kept in a model so a deployment can compare its live inputs with them.
///
/// Features are the table's columns for table models, two numbers per sentence (characters, words) for text
/// models, and for image models the mean and standard deviation of an image's pixels plus the mean of each cell
/// of a 4 × 4 grid (`region_r_c`), which moves when the objects, their placement or the lighting change.
package struct ReferenceProfile: Codable, Equatable, Sendable {
    /// What the features are computed from.
    package enum Source: String, Codable, Sendable { case table, images, text }

    /// The values a numeric feature's sketch keeps at most (quantiles of the training values beyond that).
    package static let sketchSize = 500
    /// The categories a categorical feature keeps at most, most frequent first; the rest count as "other".
    package static let categoryLimit = 100
    /// Grid cells per side of the image regions.
    package static let imageGrid = 4

    package var source: Source
    /// Training rows the profile was computed from.
    package var rows: Int
    package var features: [FeatureReference]
    /// The shape of one image, for image models.
    package var sampleShape: [Int]?

    /// The profile of a table's feature columns.
    package init(table: DataTable) throws {
        source = .table
        rows = table.rowCount
        features = try zip(table.columnNames, table.columns).map { name, column in
            try StopRequest.check()
            return FeatureReference(name: name, column: column)
        }
    }

    /// The profile of sentences.
    package init(text: [String?]) {
        source = .text
        rows = text.count
        features = zip(Self.textFeatureNames, Self.textFeatures(text)).map { FeatureReference(name: $0, column: $1) }
    }

    /// The training images a profile reads at most (evenly spaced through the set).
    package static let imageLimit = 10_000

    /// The profile of images: `x` holds one image per row of its first dimension, laid out as `sampleShape`
    /// (default: the rest of `x`'s shape).
    package init(images x: Tensor, sampleShape: [Int]? = nil) {
        source = .images
        rows = x.shape.first ?? 0
        let stored = Array(x.shape.dropFirst())
        let shape = sampleShape.flatMap { $0.reduce(1, *) == stored.reduce(1, *) ? $0 : nil } ?? stored
        self.sampleShape = shape
        let size = shape.reduce(1, *), step = Swift.max(1, (rows + Self.imageLimit - 1) / Self.imageLimit)
        let picked = Array(stride(from: 0, to: rows, by: step))
        let columns = x.withUnsafeFloats { all in
            var values = [Float]()
            values.reserveCapacity(picked.count * size)
            for row in picked { values.append(contentsOf: all[(row * size)..<((row + 1) * size)]) }
            return Self.imageFeatures(values, rows: picked.count, sampleShape: shape)
        }
        features = zip(Self.imageFeatureNames(sampleShape: shape), columns).map { FeatureReference(name: $0, column: $1) }
    }

    /// The feature names of text models.
    package static let textFeatureNames = ["characters", "words"]

    /// Characters and words of each sentence.
    package static func textFeatures(_ text: [String?]) -> [DataTable.Column] {
        [.numeric(text.map { $0.map { Double($0.count) } }),
         .numeric(text.map { $0.map { Double($0.split(whereSeparator: \.isWhitespace).count) } })]
    }

    /// The feature names of image models with samples of `sampleShape`.
    package static func imageFeatureNames(sampleShape: [Int]) -> [String] {
        var names = ["pixel_mean", "pixel_std"]
        if gridded(sampleShape) {
            for r in 0..<imageGrid { for c in 0..<imageGrid { names.append("region_\(r)_\(c)") } }
        }
        return names
    }

    private static func gridded(_ shape: [Int]) -> Bool { shape.count >= 2 && shape[0] >= imageGrid && shape[1] >= imageGrid }

    /// The image features of `rows` images laid out row-major in `values`.
    package static func imageFeatures(_ values: [Double], rows: Int, sampleShape: [Int]) -> [DataTable.Column] {
        values.withUnsafeBufferPointer { features(of: $0, rows: rows, sampleShape: sampleShape) }
    }

    /// The same for single-precision pixels.
    package static func imageFeatures(_ values: [Float], rows: Int, sampleShape: [Int]) -> [DataTable.Column] {
        values.withUnsafeBufferPointer { features(of: $0, rows: rows, sampleShape: sampleShape) }
    }

    /// Specialised in this module for both pixel types (a generic call across modules would not be).
    private static func features<Pixel: BinaryFloatingPoint>(of values: UnsafeBufferPointer<Pixel>, rows: Int, sampleShape: [Int])
        -> [DataTable.Column] {
        let size = sampleShape.reduce(1, *)
        guard rows > 0, size > 0, values.count == rows * size else { return [] }
        let gridded = gridded(sampleShape)
        let height = gridded ? sampleShape[0] : 1, width = gridded ? sampleShape[1] : 1
        let depth = gridded ? size / (height * width) : size
        var means = [Double?](), deviations = [Double?]()
        var regions = [[Double?]](repeating: [], count: gridded ? imageGrid * imageGrid : 0)
        means.reserveCapacity(rows)
        deviations.reserveCapacity(rows)
        for row in 0..<rows {
            let base = row * size
            var sum = 0.0, squares = 0.0
            var cells = [Double](repeating: 0, count: regions.count), cellCounts = [Double](repeating: 0, count: regions.count)
            for i in 0..<size {
                let v = Double(values[base + i])
                sum += v
                squares += v * v
                if gridded {
                    let pixel = i / depth, y = pixel / width, x = pixel % width
                    let cell = (y * imageGrid / height) * imageGrid + x * imageGrid / width
                    cells[cell] += v
                    cellCounts[cell] += 1
                }
            }
            let mean = sum / Double(size)
            means.append(mean)
            deviations.append(Swift.max(0, squares / Double(size) - mean * mean).squareRoot())
            for cell in regions.indices { regions[cell].append(cells[cell] / Swift.max(1, cellCounts[cell])) }
        }
        return [.numeric(means), .numeric(deviations)] + regions.map { .numeric($0) }
    }
}

/// One feature's training distribution.
package struct FeatureReference: Codable, Equatable, Sendable {
    package enum Kind: String, Codable, Sendable { case numeric, categorical }

    package var name: String
    package var kind: Kind
    /// Values present in the training rows.
    package var count: Int
    /// Share of training rows where it was missing.
    package var missingShare: Double
    package var minimum: Double?
    package var maximum: Double?
    package var mean: Double?
    package var standardDeviation: Double?
    /// The sorted training values, or ``ReferenceProfile/sketchSize`` evenly spaced quantiles of them (single
    /// precision: the model's own precision, and half the JSON).
    package var sketch: [Float]?
    /// Categories, most frequent first (at most ``ReferenceProfile/categoryLimit``).
    package var categories: [String]?
    /// The share of each category, plus a last entry for the others when the list was cut.
    package var categoryShares: [Double]?

    /// The reference of a training column.
    package init(name: String, column: DataTable.Column) {
        self.name = name
        let rows = Swift.max(1, column.count)
        switch column {
        case let .numeric(values):
            let present = values.compactMap { $0 }.filter(\.isFinite).sorted()
            kind = .numeric
            count = present.count
            missingShare = Double(column.count - present.count) / Double(rows)
            guard !present.isEmpty else { break }
            minimum = present.first
            maximum = present.last
            let mean = present.reduce(0, +) / Double(present.count)
            self.mean = mean
            standardDeviation = (present.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(present.count)).squareRoot()
            let size = ReferenceProfile.sketchSize
            let kept = present.count <= size ? present
                : (0..<size).map { present[Swift.min(present.count - 1, Int((Double($0) + 0.5) * Double(present.count) / Double(size)))] }
            sketch = kept.map { Float($0) }
        case let .categorical(values):
            kind = .categorical
            var counts: [String: Int] = [:]
            for case let value? in values { counts[value, default: 0] += 1 }
            count = counts.values.reduce(0, +)
            missingShare = Double(column.count - count) / Double(rows)
            let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            let kept = ranked.prefix(ReferenceProfile.categoryLimit)
            categories = kept.map(\.key)
            var shares = kept.map { Double($0.value) / Double(Swift.max(1, count)) }
            if ranked.count > kept.count { shares.append(Swift.max(0, 1 - shares.reduce(0, +))) }
            categoryShares = shares
        }
    }

    /// Whether every training category is listed (so an unlisted one was never seen).
    package var listsEveryCategory: Bool { (categoryShares?.count ?? 0) == (categories?.count ?? 0) }
}
