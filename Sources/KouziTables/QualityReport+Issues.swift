import KouziBase
import KouziData

extension QualityReport {
    /// A missing share at or above this is a warning (below, info).
    static let missingWarningFraction = 0.2
    /// A class whose count is below this share of the largest class's is a warning.
    static let imbalanceRatio = 0.1

    /// The report's findings as sentences, errors first, then warnings, then info.
    static func describe(_ report: QualityReport, profile: TableProfile) -> [QualityIssue] {
        var issues: [QualityIssue] = []
        func percent(_ fraction: Double) -> String { "\(CellNumber.format((fraction * 1000).rounded() / 10))%" }
        func examples(_ findings: CellFindings) -> String {
            findings.examples.prefix(3).map { "row \($0.row): \($0.value.debugDescription)" }.joined(separator: ", ")
        }
        for findings in report.typeErrors {
            issues.append(QualityIssue(
                severity: .error, code: "typeErrors", column: findings.column,
                message: "column '\(findings.column)' is \(findings.check) but \(findings.count) cell\(findings.count == 1 ? " does" : "s do") "
                    + "not parse as \(findings.check) (\(examples(findings)))"))
        }
        for findings in report.outOfRange {
            issues.append(QualityIssue(
                severity: .error, code: "outOfRange", column: findings.column,
                message: "column '\(findings.column)' has \(findings.count) value\(findings.count == 1 ? "" : "s") outside the "
                    + "declared \(findings.check) (\(examples(findings)))"))
        }
        for column in profile.columns {
            if column.type == .empty && profile.rowCount > 0 {
                issues.append(QualityIssue(severity: .warning, code: "emptyColumn", column: column.name,
                                           message: "column '\(column.name)' has no values"))
            } else if column.missingCount > 0 {
                let severity: QualityIssue.Severity = column.missingFraction >= missingWarningFraction ? .warning : .info
                issues.append(QualityIssue(
                    severity: severity, code: "missingValues", column: column.name,
                    message: "column '\(column.name)' has \(column.missingCount) missing value\(column.missingCount == 1 ? "" : "s") "
                        + "(\(percent(column.missingFraction)))"))
            }
            if column.distinctCount == 1 && column.count > 1 {
                issues.append(QualityIssue(severity: .info, code: "constantColumn", column: column.name,
                                           message: "column '\(column.name)' has a single distinct value"))
            }
        }
        if report.duplicateRowCount > 0 {
            let first = report.duplicateExamples.first.map { " (row \($0.row) repeats row \($0.firstOccurrence))" } ?? ""
            issues.append(QualityIssue(
                severity: .warning, code: "duplicateRows", column: nil,
                message: "\(report.duplicateRowCount) row\(report.duplicateRowCount == 1 ? " is a duplicate" : "s are duplicates") "
                    + "of earlier rows\(first)"))
        }
        if let balance = profile.classBalance, let largest = balance.classes.map(\.count).max(),
           let smallest = balance.classes.min(by: { $0.count < $1.count }),
           Double(smallest.count) < imbalanceRatio * Double(largest) {
            issues.append(QualityIssue(
                severity: .warning, code: "classImbalance", column: balance.column,
                message: "target '\(balance.column)' is imbalanced: class '\(smallest.label)' has \(smallest.count) row"
                    + "\(smallest.count == 1 ? "" : "s") against \(largest) for the largest class"))
        }
        for findings in report.outliers {
            issues.append(QualityIssue(
                severity: .info, code: "outliers", column: findings.column,
                message: "column '\(findings.column)' has \(findings.count) outlier\(findings.count == 1 ? "" : "s") \(findings.check) "
                    + "(\(examples(findings)))"))
        }
        return issues.enumerated().sorted { a, b in
            a.element.severity != b.element.severity ? a.element.severity > b.element.severity : a.offset < b.offset
        }.map(\.element)
    }
}
