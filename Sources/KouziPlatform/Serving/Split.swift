import Foundation

/// One arm of an A/B split: a version, its share of the traffic, or a shadow that gets a copy of every request.
public struct Variant: Codable, Sendable, Equatable {
    public var name: String
    public var version: Int64
    /// Relative share of the traffic (0 for shadows).
    public var weight: Double
    /// Receives a copy of each request; its answer is recorded, never returned.
    public var shadow: Bool

    public init(name: String, version: Int64, weight: Double, shadow: Bool) {
        self.name = name
        self.version = version
        self.weight = weight
        self.shadow = shadow
    }
}

/// A requested split: variants by version reference.
public struct SplitRequest: Codable, Sendable, Equatable {
    public struct Arm: Codable, Sendable, Equatable {
        public var name: String
        public var version: String
        public var weight: Double?
        public var shadow: Bool?
    }
    public var variants: [Arm]
}

/// Live results of one variant: requests, and accuracy on the predictions that received feedback.
public struct VariantStats: Codable, Sendable, Equatable {
    public var name: String
    public var version: Int64
    public var weight: Double
    public var shadow: Bool
    /// Share of the (non-shadow) traffic the weights give it.
    public var share: Double
    public var requests: Int64
    /// Rows with a true label posted.
    public var labelled: Int64
    public var correct: Int64
    public var accuracy: Double?
    /// Wilson score interval (95 %) of the accuracy.
    public var accuracyLow: Double?
    public var accuracyHigh: Double?
    /// Two-sided p-value of a two-proportion z-test against the first variant (the control).
    public var pValue: Double?
}

/// Routing and statistics of A/B splits.
enum SplitMath {
    /// The variant a request goes to: by a stable hash of its routing key (same key, same variant) or at random.
    static func choose(_ variants: [Variant], key: String?) -> Variant? {
        let live = variants.filter { !$0.shadow && $0.weight > 0 }
        let total = live.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return nil }
        let u: Double
        if let key {
            // FNV-1a over the key's bytes, mixed, mapped onto [0, 1).
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            h ^= h >> 33; h = h &* 0xff51_afd7_ed55_8ccd; h ^= h >> 33
            u = Double(h >> 11) / Double(1 << 53)
        } else {
            u = Double.random(in: 0..<1)
        }
        var edge = 0.0
        for v in live {
            edge += v.weight / total
            if u < edge { return v }
        }
        return live.last
    }

    /// The Wilson score interval of `correct` out of `n` at 95 %.
    static func wilson(_ correct: Int64, _ n: Int64) -> (Double, Double)? {
        guard n > 0 else { return nil }
        let z = 1.959964, p = Double(correct) / Double(n), nn = Double(n)
        let centre = (p + z * z / (2 * nn)) / (1 + z * z / nn)
        let half = z * ((p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot()) / (1 + z * z / nn)
        return (max(0, centre - half), min(1, centre + half))
    }

    /// Two-sided p-value of the two-proportion z-test of a1/n1 against a2/n2.
    static func twoProportionPValue(_ a1: Int64, _ n1: Int64, _ a2: Int64, _ n2: Int64) -> Double? {
        guard n1 > 0, n2 > 0 else { return nil }
        let p1 = Double(a1) / Double(n1), p2 = Double(a2) / Double(n2)
        let pooled = Double(a1 + a2) / Double(n1 + n2)
        let se = (pooled * (1 - pooled) * (1 / Double(n1) + 1 / Double(n2))).squareRoot()
        guard se > 0 else { return p1 == p2 ? 1 : 0 }
        return erfc(abs(p1 - p2) / se / 2.0.squareRoot())
    }
}
