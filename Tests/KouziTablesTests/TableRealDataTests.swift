import Testing
import KouziData
import KouziTables
import KouziTestSupport

/// Profiles of the real CSV files in `../shared/datasets/sklearn-bundled`; skipped where absent.
@Suite("Table profiles of real datasets")
struct TableRealDataTests {
    static let sklearn = DatasetLocator.directory(named: "sklearn-bundled")

    @Test(.enabled(if: sklearn != nil, "\(DatasetLocator.skipMessage(for: "sklearn-bundled"))"))
    func irisProfileAndQuality() throws {
        let table = try RawTable(contentsOfFile: Self.sklearn! + "/data/iris.csv")
        #expect(table.rowCount == 150 && table.header == ["150", "4", "setosa", "versicolor", "virginica"])
        let profile = try TableProfile(table: table, target: "virginica")
        let sepalLength = try #require(profile.columns[0].numeric)
        #expect(profile.columns[0].type == .float)
        #expect(sepalLength.min == 4.3 && sepalLength.max == 7.9 && sepalLength.median == 5.8)
        #expect(abs(sepalLength.mean - 5.843333) < 1e-6)
        #expect(abs(sepalLength.std! - 0.828066) < 1e-6)
        #expect(sepalLength.histogram.counts.reduce(0, +) == 150)
        #expect(profile.columns[4].type == .integer)
        #expect(profile.classBalance?.classes.map(\.count) == [50, 50, 50])
        let report = try QualityReport(table: table, profile: profile)
        #expect(report.typeErrors.isEmpty && report.rowsWithMissing == 0)
        // Iris holds one exactly repeated measurement (rows 101 and 142 in 0-based order).
        #expect(report.duplicateRowCount == 1)
    }

    @Test(.enabled(if: sklearn != nil, "\(DatasetLocator.skipMessage(for: "sklearn-bundled"))"))
    func wineHeaderIsRaggedAndLinnerudIsSpaceSeparated() throws {
        let wine = Self.sklearn! + "/data/wine_data.csv"
        #expect(thrownMessage { _ = try RawTable(contentsOfFile: wine) }
                == "\(wine):2: expected 5 fields (one per header column), found 14")
        let linnerud = try RawTable(contentsOfFile: Self.sklearn! + "/data/linnerud_exercise.csv", delimiter: " ")
        #expect(linnerud.header == ["Chins", "Situps", "Jumps"] && linnerud.rowCount == 20)
        let profile = try TableProfile(table: linnerud)
        #expect(profile.columns.allSatisfy { $0.type == .integer && $0.missingCount == 0 })
    }
}
