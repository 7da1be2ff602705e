import KouziBase
import KouziTables
import Dispatch
import Foundation
import KouziData
import KouziFormats
import KouziNN

/// What inspecting a version's files found.
struct Inspection: Sendable {
    var kind: String
    var rowCount: Int64
    var summary: JSONValue
    var profile: JSONValue?
    var quality: JSONValue?
}

extension DatasetService {
    /// Inspects files for a format, off the async executor (profiling a large table takes CPU seconds). Every
    /// file's hash is checked first; malformed content is a 422 naming the file and what is wrong.
    func inspect(format: DatasetFormat, files: [DatasetFile], target: String?) async throws -> Inspection {
        for file in files {
            do { try artifacts.verify(file.sha256) } catch { throw PlatformError.wrap(error) }
        }
        let paths = files.map { ($0.name, artifacts.url(of: $0.sha256).path) }
        return try await runDetached {
            do {
                return try Self.inspectSync(format: format, paths: paths, target: target)
            } catch let error as PlatformError {
                throw error
            } catch {
                throw PlatformError(.unprocessable, code: "invalid_\(format.rawValue.replacingOccurrences(of: "-", with: "_"))",
                                    "\(error)")
            }
        }
    }

    /// The images file and the labels file of an IDX pair: the one named like labels, else the smaller one.
    static func idxPair(_ paths: [(String, String)]) -> (images: (String, String), labels: (String, String)) {
        let labelsFirst = paths[0].0.lowercased().contains("label")
            || (!paths[1].0.lowercased().contains("label") && fileSize(paths[0].1) < fileSize(paths[1].1))
        return labelsFirst ? (paths[1], paths[0]) : (paths[0], paths[1])
    }

    static func inspectSync(format: DatasetFormat, paths: [(String, String)], target: String?) throws -> Inspection {
        func single() throws -> (String, String) {
            guard paths.count == 1 else {
                throw PlatformError.invalid("files", "a \(format.rawValue) version has exactly one file, got \(paths.count)")
            }
            return paths[0]
        }
        switch format {
        case .csv:
            let (name, path) = try single()
            guard let data = FileManager.default.contents(atPath: path) else { throw ArtifactError.missing(name) }
            let table = try RawTable(csv: [UInt8](data), source: name)
            return try tableInspection(table, target: target)
        case .idx:
            // The images and labels files, and optionally classes.txt naming the classes in label order.
            let classes = paths.filter { $0.0.lowercased().hasSuffix(".txt") }
            let pair = paths.filter { !$0.0.lowercased().hasSuffix(".txt") }
            guard pair.count == 2, classes.count <= 1 else {
                throw PlatformError.invalid("files", "an idx version has two files (images and labels) and optionally a classes.txt, "
                    + "got \(paths.map(\.0).joined(separator: ", "))")
            }
            let (images, labels) = idxPair(pair)
            let summary = try IDXPairSummary.inspect(imagesPath: images.1, labelsPath: labels.1)
            if let (name, path) = classes.first {
                let names: [String]
                do { names = try ClassNamesFile.read(path) ?? [] } catch { throw PlatformError.invalid("files", "\(name): \(error.reason)") }
                let highest = summary.classes.compactMap { Int($0.name) }.max() ?? -1
                guard names.count > highest else {
                    throw PlatformError.invalid("files", "\(name) names \(names.count) classes but the labels go up to \(highest)")
                }
            }
            return Inspection(kind: "images", rowCount: Int64(summary.count), summary: try toJSON(summary))
        case .imageFolder:
            let (name, path) = try single()
            let summary = try ImageFolderSummary.inspect(ZipArchive(source: ByteSource(path: path, name: name)))
            return Inspection(kind: "images", rowCount: Int64(summary.totalImages), summary: try toJSON(summary))
        case .audioFolder:
            let (name, path) = try single()
            let summary = try AudioFolderSummary.inspect(ZipArchive(source: ByteSource(path: path, name: name)))
            return Inspection(kind: "audio", rowCount: Int64(summary.totalFiles), summary: try toJSON(summary))
        case .text:
            let summary: TextCorpusSummary
            if paths.count == 1, paths[0].0.lowercased().hasSuffix(".zip") {
                summary = try TextCorpusSummary.inspect(ZipArchive(source: ByteSource(path: paths[0].1, name: paths[0].0)))
            } else {
                summary = try TextCorpusSummary.inspect(paths.map { KouziFormats.DatasetFile(path: $0.0, size: UInt64(fileSize($0.1))) { [p = $0.1] in
                    guard let data = FileManager.default.contents(atPath: p) else { throw ArtifactError.missing(p) }
                    return [UInt8](data)
                } }, source: "upload")
            }
            return Inspection(kind: "text", rowCount: Int64(summary.documents), summary: try toJSON(summary))
        }
    }

    /// The widest table a version may hold, and the most cells: profiling, training and serving work column by
    /// column, so a table far wider than any model reads would only tie up a job (a 100,000-column CSV of five rows
    /// is refused here instead of running for minutes).
    static let maxTableColumns = 10_000
    static let maxTableCells = 200_000_000

    /// Schema, profile and quality of a table.
    static func tableInspection(_ table: RawTable, target: String?) throws -> Inspection {
        guard table.columnCount <= maxTableColumns else {
            throw PlatformError(.unprocessable, code: "table_too_wide",
                                "the table has \(table.columnCount) columns; a version holds at most \(maxTableColumns)")
        }
        guard table.columnCount * table.rowCount <= maxTableCells else {
            throw PlatformError(.unprocessable, code: "table_too_large", "the table has \(table.columnCount * table.rowCount) cells "
                                + "(\(table.rowCount) rows × \(table.columnCount) columns); a version holds at most \(maxTableCells)")
        }
        if let target, table.columnIndex(target) == nil {
            throw PlatformError.invalid("target", "no column '\(target)'; the columns are \(table.header)")
        }
        let profile = try TableProfile(table: table, target: target)
        let quality = try QualityReport(table: table, profile: profile)
        var columns: [JSONValue] = []
        for column in profile.columns {
            columns.append(.object(["name": .string(column.name), "type": .string(column.type.rawValue)]))
        }
        var summary: [String: JSONValue] = [
            "rows": .number(Double(table.rows.count)),
            "columns": .array(columns),
        ]
        if let balance = profile.classBalance {
            summary["target"] = .string(balance.column)
            summary["classes"] = try toJSON(balance.classes)
        }
        return Inspection(kind: "table", rowCount: Int64(table.rows.count), summary: .object(summary),
                          profile: try toJSON(profile), quality: try toJSON(quality))
    }
}

/// Converts an encodable value to a JSON tree.
func toJSON<T: Encodable>(_ value: T) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
}

/// Runs CPU-bound work on a global dispatch queue so it does not hold one of the few async executor threads.
func runDetached<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try work() })
        }
    }
}
