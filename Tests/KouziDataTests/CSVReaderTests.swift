import Testing
import KouziTensor
import KouziData

@Suite("CSV reader")
struct CSVReaderTests {
    @Test func infersNumericAndCategoricalColumnsWithMissingValues() throws {
        let text = "x,y,label\n1.5,NA,cat\n2,3,\n?,null,dog\nNaN,1e3,\" cat\"\n"
        let table = try CSVReader().read(string: text)
        #expect(table.columnNames == ["x", "y", "label"])
        #expect(table.rowCount == 4)
        #expect(table["x"] == .numeric([1.5, 2, nil, nil]))
        #expect(table["y"] == .numeric([nil, 3, nil, 1000]))
        #expect(table["label"] == .categorical(["cat", nil, "dog", " cat"]))
        #expect(try table.column(named: "y").missingCount == 2)
    }

    @Test func trimsWhitespaceAndDeclaredTypes() throws {
        let text = "zip, city\n01234, Paris \n99999,Oslo\n"
        let table = try CSVReader(columnTypes: ["zip": .categorical], trimsWhitespace: true).read(string: text)
        #expect(table.columnNames == ["zip", "city"])
        #expect(table["zip"] == .categorical(["01234", "99999"]))
        #expect(table["city"] == .categorical(["Paris", "Oslo"]))
    }

    @Test func headerlessFilesGetNamedColumns() throws {
        let plain = try CSVReader(hasHeader: false).read(string: "1,a\n2,b\n")
        #expect(plain.columnNames == ["column1", "column2"])
        let named = try CSVReader(delimiter: " ", hasHeader: false, columnNames: ["n", "s"]).read(string: "1 a\n2 b\n")
        #expect(named["n"] == .numeric([1, 2]))
        #expect(throws: CSVError.columnNameCount(source: "<string>", expected: 2, got: 1)) {
            _ = try CSVReader(hasHeader: false, columnNames: ["n"]).read(string: "1,a\n")
        }
    }

    @Test func headerOnlyGivesAnEmptyTable() throws {
        let table = try CSVReader().read(string: "a,b\n")
        #expect(table.rowCount == 0)
        #expect(table.columnNames == ["a", "b"])
    }

    @Test func errorMessagesNameLineAndColumn() {
        #expect(TestSupport.errorMessage { _ = try CSVReader().read(string: "a,b\n1,2\n3\n", source: "d.csv") }
                == "d.csv:3: expected 2 fields, found 1")
        #expect(TestSupport.errorMessage {
            _ = try CSVReader(columnTypes: ["b": .numeric]).read(string: "a,b\n1,2\n3,x\n", source: "d.csv")
        } == "d.csv:3: column 2 ('b'): non-numeric value \"x\" in a column declared numeric")
        #expect(TestSupport.errorMessage { _ = try CSVReader().read(string: "", source: "d.csv") }
                == "d.csv: empty input: no header and no records")
        #expect(TestSupport.errorMessage { _ = try CSVReader().read(string: "a,a\n1,2\n", source: "d.csv") }
                == "d.csv:1: duplicate column name 'a' in header fields 1 and 2")
        #expect(TestSupport.errorMessage { _ = try CSVReader(columnTypes: ["zz": .numeric]).read(string: "a\n1\n") }
                == "unknown column 'zz'; available columns: a")
        #expect(TestSupport.errorMessage { _ = try CSVReader().read(file: "/nonexistent/x.csv") }
                == "cannot read CSV file '/nonexistent/x.csv': No such file or directory")
    }

    @Test func readsGzipFiles() throws {
        let dir = try TestSupport.temporaryDirectory()
        let path = dir.appendingPathComponent("t.csv.gz").path
        try Data(TestSupport.gzip(Array("a,b\n1,2\n".utf8))).write(to: URL(fileURLWithPath: path))
        let table = try CSVReader().read(file: path)
        #expect(table["b"] == .numeric([2]))
    }
}

import Foundation
