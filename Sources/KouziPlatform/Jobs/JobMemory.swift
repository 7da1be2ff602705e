import Foundation
import KouziBase

/// What a job may hold in memory, and what a job on a dataset version is expected to hold: jobs that would need
/// more are refused when they are submitted, not after minutes of work.
///
/// The expectation follows measurements of `kouzi train` on this platform: a table takes about 64 bytes a cell
/// while it is read, imputed, encoded and scaled (500,000 rows × 21 columns peaked at 0.65 GB), plus its file;
/// IDX images about 10 bytes a pixel (MNIST's 55 million pixels peaked at 0.45 GB); other data about 16 times
/// its stored size.
public enum JobMemory {
    /// Bytes per table cell while a job prepares it.
    static let bytesPerCell: Int64 = 64
    /// Bytes per image pixel.
    static let bytesPerPixel: Int64 = 10

    /// The default limit: half the machine's memory, at most 16 GiB.
    public static var defaultLimit: Int64 {
        min(Int64(ProcessInfo.processInfo.physicalMemory / 2), 16 << 30)
    }

    /// The memory a job reading `version` is expected to need.
    static func estimate(_ version: DatasetVersion) -> Int64 {
        switch version.kind {
        case "table":
            let columns = Int64(max(1, version.summary["columns"]?.arrayValue?.count ?? 1))
            return version.rowCount * columns * bytesPerCell + version.size
        case "images":
            if let shape = version.summary["itemShape"]?.arrayValue?.compactMap(\.intValue), !shape.isEmpty {
                return version.rowCount * Int64(shape.reduce(1, *)) * bytesPerPixel + version.size
            }
            return version.size * 16
        default:
            return version.size * 16
        }
    }

    /// Refuses (422 `job_too_large`) a job on `versions` expected to need more than `limit` bytes.
    static func check(_ versions: [DatasetVersion], limit: Int64) throws {
        let needed = versions.reduce(Int64(0)) { $0 + estimate($1) }
        guard needed > limit else { return }
        let described = versions.map { version in
            "dataset \(version.datasetID) version \(version.number) (\(version.rowCount) rows"
                + (version.kind == "table" ? " × \(version.summary["columns"]?.arrayValue?.count ?? 0) columns" : "") + ")"
        }.joined(separator: " and ")
        throw PlatformError(.unprocessable, code: "job_too_large",
                            "a job on \(described) needs about \(gigabytes(needed)) of memory; a job may use at most "
                                + "\(gigabytes(limit)) on this server (kouzi serve --job-memory-mib)")
    }

    static func gigabytes(_ bytes: Int64) -> String { String(format: "%.2f GB", Double(bytes) / 1e9) }
}
