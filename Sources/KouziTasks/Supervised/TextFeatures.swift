import KouziData
import KouziTensor
import KouziTraining

/// The fitted transform from one text column to token ids for sequence models.
///
/// Texts are tokenised (lower-cased words and punctuation), mapped through a vocabulary learned from the
/// training rows (0 pads, 1 stands for unknown words) and cut or padded at the end to a fixed length.
package struct TextFeatures: Codable, Equatable, Sendable {
    /// The column holding the text.
    package var column: String
    /// How texts are split into tokens.
    package var tokenizer: Tokenizer
    /// Token → id, learned from the training rows.
    package var vocabulary: Vocabulary
    /// Tokens per example after cutting or padding.
    package var length: Int

    /// Learns the vocabulary from `column` of the training rows and returns the transform with the ids `[N, length]`.
    package static func fit(_ table: DataTable, column: String, vocabularySize: Int, length: Int) throws -> (features: TextFeatures, x: Tensor) {
        guard let values = table[column] else {
            throw TrainingError.invalidData("there is no text column '\(column)' (columns: \(table.columnNames.joined(separator: ", ")))")
        }
        guard !values.isNumeric else {
            throw TrainingError.invalidData("column '\(column)' holds numbers, not text: a text model needs a column of sentences")
        }
        let tokenizer = Tokenizer()
        let texts = values.textValues.map { tokenizer.tokenize($0 ?? "") }
        let vocabulary = Vocabulary(texts, maxSize: vocabularySize)
        let features = TextFeatures(column: column, tokenizer: tokenizer, vocabulary: vocabulary, length: length)
        return (features, try vocabulary.encode(texts, length: length))
    }

    /// The token ids `[N, length]` of `table`'s text column.
    package func transform(_ table: DataTable, source: String) throws -> Tensor {
        guard let values = table[column] else {
            throw TrainingError.invalidData("\(source): the model reads text from column '\(column)', which is missing "
                + "(columns: \(table.columnNames.joined(separator: ", ")))")
        }
        return try vocabulary.encode(values.textValues.map { tokenizer.tokenize($0 ?? "") }, length: length)
    }

    /// The text column picked when none is named: the only non-numeric column besides the target.
    package static func defaultColumn(of table: DataTable, target: String) throws -> String {
        let candidates = table.columnNames.filter { $0 != target && table[$0]?.isNumeric == false }
        guard candidates.count == 1 else {
            throw TrainingError.invalidConfiguration(field: "text_column", message: candidates.isEmpty
                ? "the table has no text column besides the target '\(target)'"
                : "the table has several text columns (\(candidates.joined(separator: ", "))); name one with text_column")
        }
        return candidates[0]
    }
}
