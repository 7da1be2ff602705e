/// The closed interval that explicit ratings live in (MovieLens: 1…5). Predictions are clipped to it.
public struct RatingScale: Sendable, Equatable, CustomStringConvertible {
    /// The smallest allowed rating.
    public let lower: Double
    /// The largest allowed rating.
    public let upper: Double

    /// A scale from `lower` to `upper`; throws unless `lower < upper` and both are finite.
    public init(lower: Double, upper: Double) throws(RecError) {
        try require(lower.isFinite && upper.isFinite && lower < upper, "rating scale", "[\(lower), \(upper)]",
                    "needs finite bounds with lower < upper")
        self.lower = lower
        self.upper = upper
    }

    private init(unchecked lower: Double, _ upper: Double) { self.lower = lower; self.upper = upper }

    /// The 1…5 star scale of MovieLens.
    public static let fiveStar = RatingScale(unchecked: 1, 5)
    /// A scale for implicit events (any value ≥ 0 counts as an event strength).
    public static let implicit = RatingScale(unchecked: 0, Double.greatestFiniteMagnitude)

    /// Whether `value` lies inside the scale.
    @inline(__always) public func contains(_ value: Double) -> Bool { value >= lower && value <= upper }

    /// `value` clipped into the scale.
    @inline(__always) public func clip(_ value: Double) -> Double { min(max(value, lower), upper) }

    /// `[lower, upper]`.
    public var description: String { "[\(lower), \(upper)]" }
}
