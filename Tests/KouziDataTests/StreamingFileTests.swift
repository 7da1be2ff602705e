import Foundation
import Testing
import KouziData

@Suite("Streaming files")
struct StreamingFileTests {
    private func write(_ bytes: [UInt8], _ name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return url.path
    }

    @Test func linesAcrossChunkBoundaries() throws {
        let directory = try TestSupport.temporaryDirectory()
        let text = "\u{FEFF}first\r\nsecond line\n\nfourth, été\nlast without break"
        let path = try write(Array(text.utf8), "lines.txt", in: directory)
        let expected = ["first", "second line", "", "fourth, été", "last without break"]
        for chunkSize in [16, 17, 23, 64, 1 << 20] {
            #expect(try Dataset.lines(ofFile: path, chunkSize: chunkSize).elements() == expected, "chunk size \(chunkSize)")
        }
        let gzipped = try write(TestSupport.gzip(Array(text.utf8)), "lines.txt.gz", in: directory)
        #expect(try Dataset.lines(ofFile: gzipped, chunkSize: 16).elements() == expected)
        let emptyPath = try write([], "empty.txt", in: directory)
        #expect(try Dataset.lines(ofFile: emptyPath).elements().isEmpty)
        #expect(try Dataset.lines(ofFile: try write(Array("one\n".utf8), "one.txt", in: directory)).elements() == ["one"])
    }

    @Test func concatenatedGzipMembersAndLongLines() throws {
        let directory = try TestSupport.temporaryDirectory()
        let long = String(repeating: "x", count: 5_000)
        let bytes = TestSupport.gzip(Array("a\n\(long)\n".utf8)) + TestSupport.gzip(Array("b\nc".utf8))
        let path = try write(bytes, "parts.gz", in: directory)
        #expect(try Dataset.lines(ofFile: path, chunkSize: 100).elements() == ["a", long, "b", "c"])
        let truncated = try write(Array(bytes[0..<20]), "truncated.gz", in: directory)
        #expect(TestSupport.errorMessage { _ = try Dataset.lines(ofFile: truncated).elements() }
                == "cannot read '\(truncated)': gzip: truncated stream")
    }

    @Test func lineErrorsNameTheFileAndLine() throws {
        let directory = try TestSupport.temporaryDirectory()
        let missing = directory.appendingPathComponent("missing.txt").path
        #expect(TestSupport.errorMessage { _ = try Dataset.lines(ofFile: missing).elements() }
                == "cannot read '\(missing)': No such file or directory")
        #expect(TestSupport.errorMessage { _ = try Dataset.lines(ofFile: directory.path).elements() }
                == "cannot read '\(directory.path)': it is a directory")
        let bad = try write(Array("ok\nalso ok\n".utf8) + [0x66, 0xFF, 0x0A], "bad.txt", in: directory)
        let iterator = Dataset.lines(ofFile: bad, chunkSize: 16).makeIterator(epoch: 0)
        #expect(try iterator.next() == "ok")
        #expect(try iterator.next() == "also ok")
        #expect(TestSupport.errorMessage { _ = try iterator.next() } == "\(bad):3: invalid UTF-8")
    }

    @Test func csvRecordsStreamLikeAWholeParse() throws {
        let directory = try TestSupport.temporaryDirectory()
        let text = "\u{FEFF}name,note,score\r\n\"Smith, J\",\"said \"\"hi\"\"\",3.5\n\n"
            + "Ann,\"two\nlines\",4\rBo,,\"\"\nlast,\"quoted at the end\",7"
        let bytes = Array(text.utf8)
        let path = try write(bytes, "table.csv", in: directory)
        let whole = try CSVParser(source: path).parse(bytes)
        #expect(whole.count == 5)
        for chunkSize in [16, 17, 19, 31, 64, 1 << 20] {
            #expect(try Dataset.csvRecords(file: path, chunkSize: chunkSize).elements() == whole, "chunk size \(chunkSize)")
        }
        let gzipped = try write(TestSupport.gzip(bytes), "table.csv.gz", in: directory)
        #expect(try Dataset.csvRecords(file: gzipped, chunkSize: 16).elements().map(\.fields) == whole.map(\.fields))
        let semicolons = try write(Array("a;b\n1;2\n".utf8), "semi.csv", in: directory)
        #expect(try Dataset.csvRecords(file: semicolons, delimiter: ";").skip(1).elements() == [CSVRecord(fields: ["1", "2"], line: 2)])
    }

    @Test func csvRecordsLongerThanAChunk() throws {
        let directory = try TestSupport.temporaryDirectory()
        let note = String(repeating: "long, quoted\n", count: 400)
        let text = "id,note\n1,\"\(note)\"\n2,short\n"
        let path = try write(Array(text.utf8), "long.csv", in: directory)
        let records = try Dataset.csvRecords(file: path, chunkSize: 64).elements()
        #expect(records.map { $0.fields.count } == [2, 2, 2])
        #expect(records[1].fields[1] == note && records[1].line == 2)
        #expect(records[2] == CSVRecord(fields: ["2", "short"], line: 403))
    }

    @Test func csvErrorsNameTheFileAndPosition() throws {
        let directory = try TestSupport.temporaryDirectory()
        let path = try write(Array("a,b\n1,2\n3,\"open\n4,5\n".utf8), "broken.csv", in: directory)
        let iterator = Dataset.csvRecords(file: path, chunkSize: 16).makeIterator(epoch: 0)
        #expect(try iterator.next()?.fields == ["a", "b"])
        #expect(try iterator.next()?.fields == ["1", "2"])
        #expect(TestSupport.errorMessage { _ = try iterator.next() }
                == "\(path):3:3: unterminated quoted field: the quote opened here is never closed")
        #expect(TestSupport.errorMessage { _ = try Dataset.csvRecords(file: path, delimiter: "\"").elements() }
                == "invalid CSV delimiter \"\\\"\": use one ASCII character other than '\"', CR or LF")
    }

    @Test func filesAreListedLazilyInAStableOrder() throws {
        let directory = try TestSupport.temporaryDirectory()
        for name in ["b.png", "a.PNG", "notes.txt", "sub/c.png", "sub/deeper/d.png", "z.png", ".hidden.png", "sub/.cache/e.png"] {
            _ = try write([1], name, in: directory)
        }
        let root = directory.path
        #expect(try Dataset.files(in: root, extensions: ["png"]).elements()
                == ["a.PNG", "b.png", "sub/c.png", "sub/deeper/d.png", "z.png"].map { "\(root)/\($0)" })
        #expect(try Dataset.files(in: root + "/", extensions: [".txt"]).elements() == ["\(root)/notes.txt"])
        #expect(try Dataset.files(in: root, recursive: false).elements()
                == ["a.PNG", "b.png", "notes.txt", "z.png"].map { "\(root)/\($0)" })
        #expect(Dataset.files(in: root).count == nil)
        let paths = ["\(root)/b.png", "\(root)/a.PNG"]
        let sizes = try Dataset(files: paths).map { try Data(contentsOf: URL(fileURLWithPath: $0)).count }.elements()
        #expect(sizes == [1, 1])
        #expect(Dataset(files: paths).count == 2)
        #expect(TestSupport.errorMessage { _ = try Dataset.files(in: root + "/nowhere").elements() }
                == "cannot read '\(root)/nowhere': no such directory")
        #expect(TestSupport.errorMessage { _ = try Dataset.files(in: root + "/b.png").elements() }
                == "cannot read '\(root)/b.png': it is not a directory")
    }
}
