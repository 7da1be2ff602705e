/// Limits that protect a reader of untrusted ZIP archives against decompression bombs.
///
/// The declared sizes are checked when the archive opens; extraction then refuses any entry whose data
/// expands beyond its declared size, so the declared totals bound the real work.
///
/// ```swift
/// var limits = ZipLimits.default
/// limits.maxTotalUncompressedBytes = 1 << 30
/// let archive = try ZipArchive(path: upload, limits: limits)
/// ```
public struct ZipLimits: Sendable, Codable, Equatable {
    /// The most entries (files and folders, ignored ones included) an archive may hold.
    public var maxEntries: Int
    /// The most bytes all entries together may expand to.
    public var maxTotalUncompressedBytes: UInt64
    /// The most bytes one entry may expand to.
    public var maxEntryUncompressedBytes: UInt64
    /// The highest uncompressed-to-compressed size ratio of one entry.
    public var maxCompressionRatio: Double
    /// Entries smaller than this many uncompressed bytes skip the ratio check (small runs of zeros
    /// compress very well without being dangerous).
    public var ratioCheckMinimumBytes: UInt64

    /// Creates limits.
    public init(maxEntries: Int = 200_000,
                maxTotalUncompressedBytes: UInt64 = 16 << 30,
                maxEntryUncompressedBytes: UInt64 = 4 << 30,
                maxCompressionRatio: Double = 200,
                ratioCheckMinimumBytes: UInt64 = 1 << 20) {
        self.maxEntries = maxEntries
        self.maxTotalUncompressedBytes = maxTotalUncompressedBytes
        self.maxEntryUncompressedBytes = maxEntryUncompressedBytes
        self.maxCompressionRatio = maxCompressionRatio
        self.ratioCheckMinimumBytes = ratioCheckMinimumBytes
    }

    /// 200,000 entries, 16 GiB in total, 4 GiB per entry, a ratio of at most 200 for entries of 1 MiB or more.
    public static let `default` = ZipLimits()

    /// No limits, for trusted archives.
    public static let unlimited = ZipLimits(maxEntries: .max, maxTotalUncompressedBytes: .max,
                                            maxEntryUncompressedBytes: .max, maxCompressionRatio: .infinity,
                                            ratioCheckMinimumBytes: .max)
}
