import Foundation
import Testing
import KouziData
import KouziTables
import KouziTestSupport

@Suite("Raw tables and CSV")
struct TableCSVTests {
    @Test func readsMissingMarkersAsNil() throws {
        let table = try RawTable(csv: "a,b,c\n1,NA,x\n,N/A,null\nNaN,?,\" y \"\n")
        #expect(table.header == ["a", "b", "c"])
        #expect(table.rows == [["1", nil, "x"], [nil, nil, nil], [nil, nil, " y "]])
        #expect(table.rowCount == 3 && table.columnCount == 3)
        #expect(try table.column("c") == ["x", nil, " y "])
    }

    @Test func roundTripsAwkwardQuoting() throws {
        let rows: [[String?]] = [
            ["plain", "with,comma", "with \"quotes\""],
            ["multi\nline", nil, "  padded "],
            ["crlf\r\ninside", "\"", "ünïcødé"],
        ]
        let table = try RawTable(header: ["a", "b,c", "d\"e"], rows: rows)
        let text = table.csvString()
        #expect(text.hasPrefix("a,\"b,c\",\"d\"\"e\"\nplain,\"with,comma\",\"with \"\"quotes\"\"\"\n"))
        #expect(try RawTable(csv: text) == table)
        let dir = try makeTemporaryDirectory("kouzi-tables")
        let path = dir.appendingPathComponent("t.csv").path
        try table.write(to: path)
        #expect(try RawTable(contentsOfFile: path) == table)
    }

    @Test func singleColumnRowsWithMissingValuesSurviveARoundTrip() throws {
        let table = try RawTable(header: ["only"], rows: [["1"], [nil], ["3"]])
        #expect(try RawTable(csv: table.csvString()) == table)
    }

    @Test func errorsNameTheLineAndColumn() {
        #expect(thrownMessage { _ = try RawTable(csv: "a,b\n1,2\n3\n", source: "d.csv") }
                == "d.csv:3: expected 2 fields (one per header column), found 1")
        #expect(thrownMessage { _ = try RawTable(csv: "a,b\n\"1,2\n", source: "d.csv") }
                == "d.csv:2:1: unterminated quoted field: the quote opened here is never closed")
        #expect(thrownMessage { _ = try RawTable(csv: "", source: "d.csv") }
                == "d.csv: empty header: the first record must name at least one column")
        #expect(thrownMessage { _ = try RawTable(csv: "x,y,x\n1,2,3\n", source: "d.csv") }
                == "d.csv:1: duplicate column name 'x' in header fields 1 and 3")
        #expect(throws: TableError.raggedRow(source: "<rows>", line: 2, expected: 2, got: 3)) {
            _ = try RawTable(header: ["a", "b"], rows: [["1", "2"], ["1", "2", "3"]])
        }
        #expect(throws: TableError.emptyHeader(source: "<rows>")) { _ = try RawTable(header: [], rows: []) }
        #expect(thrownMessage { _ = try RawTable(contentsOfFile: "/nonexistent/t.csv") }
                == "cannot access '/nonexistent/t.csv': No such file or directory")
        #expect(thrownMessage { _ = try RawTable(csv: "a\n1\n").column("b") }
                == "unknown column 'b'; available columns: a")
    }

    @Test func jsonRoundTripChecksShape() throws {
        let table = try RawTable(header: ["a", "b"], rows: [["1", nil]])
        let data = try JSONEncoder().encode(table)
        #expect(String(decoding: data, as: UTF8.self).contains("\"rows\":[[\"1\",null]]"))
        #expect(try JSONDecoder().decode(RawTable.self, from: data) == table)
        let ragged = Data(#"{"header":["a","b"],"rows":[["1"]]}"#.utf8)
        #expect(throws: TableError.raggedRow(source: "<rows>", line: 1, expected: 2, got: 1)) {
            _ = try JSONDecoder().decode(RawTable.self, from: ragged)
        }
    }

    @Test func convertsToADataTable() throws {
        let table = try RawTable(csv: "n,s\n1,a\nNA,b\n2.5,\n")
        let data = try table.dataTable()
        #expect(data["n"] == .numeric([1, nil, 2.5]))
        #expect(data["s"] == .categorical(["a", "b", nil]))
    }
}
