import Testing
import KouziTensor
import KouziData

@Suite("DataTable")
struct DataTableTests {
    private let table = try! CSVReader().read(string: "a,b,c\n1,2,x\n3,4,y\n5,,z\n")

    @Test func selectingDroppingAndRows() throws {
        #expect(try table.selecting(["c", "a"]).columnNames == ["c", "a"])
        #expect(try table.dropping(["b"]).columnNames == ["a", "c"])
        let rows = try table.rows([2, 0])
        #expect(rows["a"] == .numeric([5, 1]))
        #expect(rows["c"] == .categorical(["z", "x"]))
        #expect(throws: CSVError.rowOutOfRange(index: 3, rowCount: 3)) { _ = try table.rows([3]) }
        #expect(throws: CSVError.unknownColumn(name: "q", available: ["a", "b", "c"])) { _ = try table.column(named: "q") }
    }

    @Test func toTensorBuildsARowMajorMatrix() throws {
        let x = try table.toTensor(columns: ["a"])
        #expect(x.shape == [3, 1])
        #expect(x.scalars == [1, 3, 5])
        let complete = try table.rows([0, 1]).toTensor(columns: ["a", "b"])
        #expect(complete.shape == [2, 2])
        #expect(complete.scalars == [1, 2, 3, 4])
    }

    @Test func toTensorRejectsMissingAndCategorical() {
        #expect(TestSupport.errorMessage { _ = try table.toTensor(columns: ["a", "b"]) }
                == "toTensor: column 'b' has 1 missing value (first in data row 3); impute or drop them first")
        #expect(throws: CSVError.categoricalColumn(name: "c", operation: "toTensor")) { _ = try table.toTensor(columns: ["a", "c"]) }
    }

    @Test func labelTensorNeedsWholeNumbers() throws {
        let labels = try table.labelTensor(column: "a")
        #expect(labels.dtype == .int64)
        #expect(labels.intScalars == [1, 3, 5])
        let bad = try CSVReader().read(string: "y\n1.5\n")
        #expect(throws: CSVError.nonIntegerValue(column: "y", row: 1, value: 1.5)) { _ = try bad.labelTensor(column: "y") }
    }

    @Test func setColumnChecksLength() throws {
        var copy = table
        try copy.setColumn("d", to: .numeric([1, 2, 3]))
        #expect(copy.columnNames == ["a", "b", "c", "d"])
        #expect(throws: CSVError.columnLengthMismatch(name: "e", expected: 3, got: 1)) {
            try copy.setColumn("e", to: .numeric([1]))
        }
    }

    @Test func codableRoundTrip() throws {
        let data = try JSONEncoder().encode(table)
        #expect(try JSONDecoder().decode(DataTable.self, from: data) == table)
    }
}

import Foundation
