/// The number of files in one class.
public struct ClassCount: Sendable, Codable, Equatable, Hashable {
    /// The class name (a folder name or a file-name prefix).
    public var name: String
    /// How many files belong to it.
    public var count: Int

    /// Creates a count.
    public init(name: String, count: Int) {
        self.name = name
        self.count = count
    }
}

/// A file left out of a summary and why.
public struct RejectedFile: Sendable, Codable, Equatable, Hashable {
    /// The file's path in the dataset.
    public var path: String
    /// Why it was left out.
    public var reason: String

    /// Creates a rejection.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// The minimum and maximum of integer values.
public struct IntRange: Sendable, Codable, Equatable, Hashable {
    /// The smallest value.
    public var min: Int
    /// The largest value.
    public var max: Int

    /// Creates a range.
    public init(min: Int, max: Int) {
        self.min = min
        self.max = max
    }

    /// The range of `values`, or nil when empty.
    static func of<S: Sequence>(_ values: S) -> IntRange? where S.Element == Int {
        var range: IntRange?
        for v in values { range = IntRange(min: Swift.min(range?.min ?? v, v), max: Swift.max(range?.max ?? v, v)) }
        return range
    }
}

/// Minimum, mean, maximum and total of real values.
public struct ValueStatistics: Sendable, Codable, Equatable, Hashable {
    /// The smallest value.
    public var min: Double
    /// The arithmetic mean.
    public var mean: Double
    /// The largest value.
    public var max: Double
    /// The sum.
    public var total: Double

    /// Creates statistics.
    public init(min: Double, mean: Double, max: Double, total: Double) {
        self.min = min
        self.mean = mean
        self.max = max
        self.total = total
    }

    /// The statistics of `values`, or nil when empty.
    static func of(_ values: [Double]) -> ValueStatistics? {
        guard let lo = values.min(), let hi = values.max() else { return nil }
        let total = values.reduce(0, +)
        return ValueStatistics(min: lo, mean: total / Double(values.count), max: hi, total: total)
    }
}

/// Counting helpers shared by the summaries.
enum Tally {
    /// Counts per key, as `[String: Int]`.
    static func counts<S: Sequence>(_ keys: S) -> [String: Int] where S.Element == String {
        var result: [String: Int] = [:]
        for key in keys { result[key, default: 0] += 1 }
        return result
    }

    /// Class counts sorted by class name.
    static func classes<S: Sequence>(_ names: S) -> [ClassCount] where S.Element == String {
        counts(names).map { ClassCount(name: $0.key, count: $0.value) }.sorted { $0.name < $1.name }
    }
}
