import Foundation
import Testing
import KouziData
import KouziTables
import KouziTestSupport

@Suite("Table quality reports")
struct TableQualityTests {
    static let table = try! RawTable(csv: """
        n,color,flag
        1,red,yes
        2,blue,no
        1,red,yes
        3,green,yes
        4,red,no
        5,,no
        6,red,yes
        7,blue,maybe
        8,red,yes
        1000,red,no
        oops,red,yes
        1,red,yes
        """)

    static func report(_ constraints: [String: ColumnConstraint] = [:]) throws -> QualityReport {
        try QualityReport(table: table, profile: TableProfile(table: table), constraints: constraints)
    }

    @Test func missingValuesAndDuplicates() throws {
        let report = try Self.report()
        #expect(report.rowCount == 12)
        #expect(report.missingByColumn == [MissingCount(column: "n", count: 0, fraction: 0),
                                           MissingCount(column: "color", count: 1, fraction: 1.0 / 12),
                                           MissingCount(column: "flag", count: 0, fraction: 0)])
        #expect(report.rowsWithMissing == 1)
        #expect(report.duplicateRowCount == 2)
        #expect(report.duplicateExamples == [DuplicateRow(row: 2, firstOccurrence: 0), DuplicateRow(row: 11, firstOccurrence: 0)])
    }

    @Test func typeErrorsOfNumericAndBooleanColumns() throws {
        let report = try Self.report()
        #expect(report.typeErrors == [
            CellFindings(column: "n", check: "integer", count: 1, examples: [CellExample(row: 10, value: "oops")]),
            CellFindings(column: "flag", check: "boolean", count: 1, examples: [CellExample(row: 7, value: "maybe")]),
        ])
        #expect(!report.passed)
        #expect(report.issues.first == QualityIssue(
            severity: .error, code: "typeErrors", column: "n",
            message: "column 'n' is integer but 1 cell does not parse as integer (row 10: \"oops\")"))
    }

    @Test func outliersBeyondTukeyFarFences() throws {
        // Sorted numbers 1,1,1,2,3,4,5,6,7,8,1000: Q1 = 1.5, Q3 = 6.5, IQR = 5, fences −13.5 and 21.5.
        let report = try Self.report()
        #expect(report.outliers == [CellFindings(column: "n", check: "outside [-13.5, 21.5]", count: 1,
                                                 examples: [CellExample(row: 9, value: "1000")])])
        #expect(report.outOfRange.isEmpty)
    }

    @Test func declaredConstraintsAreReportedSeparately() throws {
        let report = try Self.report(["n": ColumnConstraint(min: 0, max: 500),
                                      "color": ColumnConstraint(allowedValues: ["red", "blue"])])
        #expect(report.outOfRange == [
            CellFindings(column: "n", check: "[0, 500]", count: 1, examples: [CellExample(row: 9, value: "1000")]),
            CellFindings(column: "color", check: "one of red, blue", count: 1, examples: [CellExample(row: 3, value: "green")]),
        ])
        #expect(report.outliers.count == 1)
        // 36 cells, 5 bad (1 missing, 2 type errors, 2 out of range); 10 of 12 rows unique.
        #expect(report.score == ((31.0 / 36 * 10 / 12) * 1000).rounded() / 10)
        #expect(report.issues.map(\.code) == ["typeErrors", "typeErrors", "outOfRange", "outOfRange", "duplicateRows",
                                              "missingValues", "outliers"])
        #expect(report.issues.map(\.severity) == [.error, .error, .error, .error, .warning, .info, .info])
        #expect(report.issues[4].message == "2 rows are duplicates of earlier rows (row 2 repeats row 0)")
    }

    @Test func cleanTablesPass() throws {
        let table = try RawTable(csv: "a,b\n1,x\n2,y\n3,x\n")
        let report = try QualityReport(table: table, profile: TableProfile(table: table))
        #expect(report.passed && report.score == 100 && report.issues.isEmpty)
    }

    @Test func imbalanceEmptyAndConstantColumns() throws {
        let rows: [[String?]] = (0..<30).map { [$0 < 29 ? "a" : "b", nil, "k"] }
        let table = try RawTable(header: ["label", "e", "k"], rows: rows)
        let report = try QualityReport(table: table, profile: TableProfile(table: table))
        #expect(report.passed)
        #expect(Set(report.issues.map(\.code)) == ["classImbalance", "emptyColumn", "constantColumn", "duplicateRows"])
    }

    @Test func errorsForUnknownConstraintsAndMismatchedProfiles() throws {
        let other = try RawTable(csv: "x\n1\n")
        #expect(thrownMessage { _ = try Self.report(["size": ColumnConstraint(min: 0)]) }
                == "unknown column 'size'; available columns: n, color, flag")
        #expect(thrownMessage { _ = try QualityReport(table: Self.table, profile: TableProfile(table: other)) }
                == "invalid parameter 'profile': it was computed for a table of other columns or rows")
    }

    @Test func reportsEncodeAsJSON() throws {
        let report = try Self.report()
        let data = try JSONEncoder().encode(report)
        #expect(try JSONDecoder().decode(QualityReport.self, from: data) == report)
        let profile = try TableProfile(table: Self.table)
        #expect(try JSONDecoder().decode(TableProfile.self, from: JSONEncoder().encode(profile)) == profile)
    }
}
