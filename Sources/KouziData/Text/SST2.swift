import KouziTensor

/// The SST-2 sentiment data (GLUE's binary Stanford Sentiment Treebank): `train.tsv` and `dev.tsv`
/// with a header line and rows `sentence<TAB>label` (0 negative, 1 positive).
///
/// ```swift
/// let train = try SST2.load(directory: dir, split: .train)
/// let vocab = Vocabulary(train.sentences, minCount: 2)
/// let (x, y) = try train.tensors(vocabulary: vocab, length: 40)   // [N, 40] and [N] int64
/// ```
public enum SST2 {
    /// The labelled files.
    public enum Split: String, Sendable, CaseIterable {
        case train, dev
    }

    /// Tokenized sentences with their labels.
    public struct Examples: Sendable {
        /// The tokens of each sentence.
        public let sentences: [[String]]
        /// 0 (negative) or 1 (positive) per sentence.
        public let labels: [Int64]

        /// Token ids `[N, length]` (cut or 0-padded at the end) and labels `[N]`, both int64.
        public func tensors(vocabulary: Vocabulary, length: Int) throws -> (ids: Tensor, labels: Tensor) {
            (try vocabulary.encode(sentences, length: length), Tensor(shape: [labels.count], values: labels))
        }
    }

    /// Reads `<directory>/<split>.tsv`.
    public static func load(directory: String, split: Split, tokenizer: Tokenizer = Tokenizer()) throws -> Examples {
        let path = directory + "/" + split.rawValue + ".tsv"
        let bytes: [UInt8]
        do { bytes = try FileBytes.contents(of: path) } catch { throw TextError.unreadableFile(path: path, reason: error.reason) }
        return try parse(String(decoding: bytes, as: UTF8.self), source: path, tokenizer: tokenizer)
    }

    /// Parses the text of a labelled SST-2 file (header line first); errors name `source` and the line.
    public static func parse(_ text: String, source: String, tokenizer: Tokenizer = Tokenizer()) throws -> Examples {
        var sentences: [[String]] = [], labels: [Int64] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let row = line.hasSuffix("\r") ? line.dropLast() : line
            if i == 0 || row.isEmpty { continue }
            guard let tab = row.lastIndex(of: "\t") else {
                throw TextError.malformedLine(path: source, line: i + 1, reason: "expected 'sentence<TAB>label'")
            }
            let label = row[row.index(after: tab)...]
            guard label == "0" || label == "1" else {
                throw TextError.malformedLine(path: source, line: i + 1, reason: "label '\(label)' is not 0 or 1")
            }
            sentences.append(tokenizer.tokenize(String(row[..<tab])))
            labels.append(label == "1" ? 1 : 0)
        }
        return Examples(sentences: sentences, labels: labels)
    }
}
