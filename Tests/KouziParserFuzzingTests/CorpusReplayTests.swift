import Foundation
import KouziParserFuzzing
import Testing

/// Every committed fuzzing input runs through its parser on each test run: an input that once crashed a
/// parser would crash this process again.
@Suite struct CorpusReplayTests {
    /// `Tests/Fuzz/corpus`, found from this file's path.
    static let corpusRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus").path

    @Test(arguments: ParserTarget.allCases)
    func replaysCorpus(_ target: ParserTarget) {
        let files = Corpus.files(in: Self.corpusRoot + "/" + target.rawValue)
        #expect(!files.isEmpty, "no corpus for \(target.rawValue)")
        for path in files {
            let bytes = Corpus.contents(of: path)
            #expect(bytes != nil, "unreadable \(path)")
            if let bytes { target.run(bytes) }
        }
    }

    @Test func corpusStaysSmall() {
        let total = ParserTarget.allCases.flatMap { Corpus.files(in: Self.corpusRoot + "/" + $0.rawValue) }
            .compactMap { Corpus.contents(of: $0)?.count }.reduce(0, +)
        #expect(total < 2 << 20, "the corpus holds \(total) bytes")
    }
}
