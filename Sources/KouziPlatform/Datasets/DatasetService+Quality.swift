import KouziBase
import KouziTables
import KouziData
import KouziNN

extension DatasetService {
    /// A table version's quality report checked against declared column constraints (ranges, allowed values),
    /// computed on demand; without constraints it is the report stored at upload.
    public func quality(_ principal: Principal, projectID: Int64, datasetID: Int64, number: Int64,
                        constraints: [String: ColumnConstraint]) async throws -> JSONValue {
        guard !constraints.isEmpty else {
            return try await quality(principal, projectID: projectID, datasetID: datasetID, number: number)
        }
        let version = try await version(principal, projectID: projectID, datasetID: datasetID, number: number)
        let table = try await loadTable(version)
        for column in constraints.keys.sorted() where table.columnIndex(column) == nil {
            throw PlatformError.invalid("constraints", "no column '\(column)'; the columns are \(table.header)")
        }
        let target = version.summary.objectValue?["target"]?.stringValue
        let report = try await runDetached {
            try QualityReport(table: table, profile: TableProfile(table: table, target: target), constraints: constraints)
        }
        return try toJSON(report)
    }
}
