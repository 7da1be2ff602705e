import Testing
import KouziData

@Suite("CSV parser")
struct CSVParserTests {
    private func parse(_ text: String, delimiter: Character = ",") throws -> [CSVRecord] {
        try CSVParser(delimiter: delimiter, source: "t.csv").parse(text)
    }

    @Test func plainRecordsWithLineNumbers() throws {
        let records = try parse("a,b\n1,2\n3,4\n")
        #expect(records.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(records.map(\.line) == [1, 2, 3])
    }

    @Test func quotedFieldsWithEscapesDelimitersAndNewlines() throws {
        let records = try parse("name,note\n\"Smith, J\",\"said \"\"hi\"\"\nthen left\"\nx,\"\"\n")
        #expect(records.count == 3)
        #expect(records[1].fields == ["Smith, J", "said \"hi\"\nthen left"])
        #expect(records[1].line == 2)
        #expect(records[2].fields == ["x", ""])
        #expect(records[2].line == 4)
    }

    @Test func crlfAndCrLineEndings() throws {
        #expect(try parse("a,b\r\n1,2\r\n").map(\.fields) == [["a", "b"], ["1", "2"]])
        #expect(try parse("a,b\r1,2").map(\.fields) == [["a", "b"], ["1", "2"]])
        #expect(try parse("\"x\r\ny\",2\r\n").map(\.fields) == [["x\r\ny", "2"]])
    }

    @Test func emptyFieldsBlankLinesBOMAndNoTrailingNewline() throws {
        #expect(try parse("\u{FEFF}a,,c\n\n,\n1,2,3").map(\.fields) == [["a", "", "c"], ["", ""], ["1", "2", "3"]])
        #expect(try parse("").isEmpty)
        #expect(try parse("\n\n").isEmpty)
    }

    @Test func otherDelimitersAndUnicode() throws {
        #expect(try parse("a;b\n\"x;y\";é漢\n", delimiter: ";").map(\.fields) == [["a", "b"], ["x;y", "é漢"]])
        #expect(try parse("a\tb\n1\t2", delimiter: "\t").map(\.fields) == [["a", "b"], ["1", "2"]])
    }

    @Test func unterminatedQuoteNamesTheOpeningPosition() {
        let message = TestSupport.errorMessage { _ = try parse("a,b\n1,\"open\n2,3\n") }
        #expect(message == "t.csv:2:3: unterminated quoted field: the quote opened here is never closed")
    }

    @Test func characterAfterClosingQuoteIsRejected() {
        #expect(throws: CSVError.unexpectedCharacterAfterQuote(source: "t.csv", line: 1, column: 6, character: "x")) {
            _ = try parse("a,\"b\"x,c")
        }
    }

    @Test func invalidUTF8AndDelimiters() {
        #expect(throws: CSVError.invalidUTF8(source: "t.csv", line: 2, column: 3)) {
            _ = try CSVParser(source: "t.csv").parse([0x61, 0x0A, 0x62, 0x2C, 0xFF, 0xFE])
        }
        #expect(throws: CSVError.invalidDelimiter("\"")) { _ = try CSVParser(delimiter: "\"") }
        #expect(throws: CSVError.invalidDelimiter("é")) { _ = try CSVParser(delimiter: "é") }
    }

    @Test func malformedInputNeverCrashes() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("a,\"\r\n;1.5 ".utf8) + [0xC3, 0xA9, 0xFF]
        for _ in 0..<500 {
            let length = Int.random(in: 0..<40, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            _ = try? CSVReader().read(bytes: bytes)
        }
    }
}
