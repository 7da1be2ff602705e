import Foundation
import KouziData
import KouziTensor
import Testing

/// Tokenizer, vocabulary, id encoding and the SST-2 reader.
@Suite("Text")
struct TextTests {
    @Test func tokenizerSplitsWhitespaceAndPunctuation() {
        let t = Tokenizer()
        #expect(t.tokenize("Hello, World!") == ["hello", ",", "world", "!"])
        #expect(t.tokenize("it 's a christmas-tree  flocking . ") == ["it", "'s", "a", "christmas-tree", "flocking", "."])
        #expect(t.tokenize("  \t\n") == [])
        #expect(Tokenizer(lowercase: false).tokenize("A(b)") == ["A", "(", "b", ")"])
    }

    @Test func vocabularyOrdersByCountAndReservesPaddingAndUnknown() {
        let v = Vocabulary([["b", "a", "b", "c"], ["a", "b", "d"]], minCount: 2)
        #expect(v.tokens == ["<pad>", "<unk>", "b", "a"])
        #expect(v.id(of: "b") == 2 && v.id(of: "c") == Vocabulary.unknownID)
        #expect(v.token(of: 3) == "a" && v.token(of: 9) == nil)
        let capped = Vocabulary([["b", "a", "b", "c"], ["a", "b", "d"]], maxSize: 3)
        #expect(capped.tokens == ["<pad>", "<unk>", "b"])
    }

    @Test func encodingPadsAndTruncatesAtTheEnd() throws {
        let v = Vocabulary([["x", "y", "z"]])
        let ids = try v.encode([["x", "q"], ["x", "y", "z", "x"]], length: 3)
        #expect(ids.dtype == .int64 && ids.shape == [2, 3])
        #expect(ids.intScalars == [v.id(of: "x"), 1, 0, v.id(of: "x"), v.id(of: "y"), v.id(of: "z")])
        #expect(throws: TextError.self) { try v.encode([["x"]], length: 0) }
    }

    @Test func vocabularyRoundTripsThroughJSON() throws {
        let v = Vocabulary([["hello", "world", "hello"]])
        let again = try JSONDecoder().decode(Vocabulary.self, from: try JSONEncoder().encode(v))
        #expect(again == v && again.id(of: "world") == v.id(of: "world"))
    }

    @Test func sst2ParsesLabelledRowsAndNamesBadLines() throws {
        let ex = try SST2.parse("sentence\tlabel\nit 's good . \t1\nbad \t0\n", source: "t.tsv")
        #expect(ex.sentences == [["it", "'s", "good", "."], ["bad"]])
        #expect(ex.labels == [1, 0])
        let (ids, labels) = try ex.tensors(vocabulary: Vocabulary(ex.sentences), length: 5)
        #expect(ids.shape == [2, 5] && labels.intScalars == [1, 0])
        #expect(throws: TextError.malformedLine(path: "t.tsv", line: 3, reason: "label '2' is not 0 or 1")) {
            try SST2.parse("sentence\tlabel\nok\t1\nno\t2\n", source: "t.tsv")
        }
        #expect(throws: TextError.self) { try SST2.parse("h\nno tab here\n", source: "t.tsv") }
        #expect(throws: TextError.self) { try SST2.load(directory: "/nonexistent", split: .train) }
    }

    @Test(.enabled(if: DatasetLocator.directory(named: "sst2") != nil, "needs ../shared/datasets/sst2"))
    func sst2FilesLoad() throws {
        let dir = DatasetLocator.directory(named: "sst2")!
        let dev = try SST2.load(directory: dir, split: .dev)
        #expect(dev.labels.count == 872)
        #expect(dev.labels.filter { $0 == 1 }.count == 444)
    }
}
