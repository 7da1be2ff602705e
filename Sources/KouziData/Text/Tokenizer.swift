/// Splits text into lower-case tokens on whitespace and punctuation.
///
/// Punctuation and symbols become tokens of their own, except apostrophes and hyphens, which stay
/// inside words so already tokenized text (`it 's`, `christmas-tree`) keeps its tokens:
///
/// ```swift
/// Tokenizer().tokenize("Hello, World!")   // ["hello", ",", "world", "!"]
/// ```
public struct Tokenizer: Sendable, Codable, Equatable {
    /// Whether text is lower-cased first.
    public var lowercase: Bool

    /// A tokenizer; `lowercase` defaults to true.
    public init(lowercase: Bool = true) { self.lowercase = lowercase }

    /// The tokens of `text`. Complexity: O(length of text).
    public func tokenize(_ text: String) -> [String] {
        let source = lowercase ? text.lowercased() : text
        var tokens: [String] = []
        var word = ""
        for ch in source {
            if ch.isWhitespace {
                if !word.isEmpty { tokens.append(word); word = "" }
            } else if (ch.isPunctuation || ch.isSymbol) && ch != "'" && ch != "-" {
                if !word.isEmpty { tokens.append(word); word = "" }
                tokens.append(String(ch))
            } else {
                word.append(ch)
            }
        }
        if !word.isEmpty { tokens.append(word) }
        return tokens
    }
}
