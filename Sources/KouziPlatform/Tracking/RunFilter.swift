import Foundation

/// A subset of MLflow's run search filter: comparisons joined by `AND`, e.g.
/// `params.lr = '0.01' AND metrics.acc >= 0.9 AND tags."mlflow.runName" LIKE 'base%'`.
///
/// Left sides are `params.KEY`, `tags.KEY`, `metrics.KEY` or `attributes.NAME` (status, run_name, run_id,
/// start_time, end_time); keys may be quoted with backticks or double quotes. Operators are `=`, `!=`, `<`, `<=`,
/// `>`, `>=` and, for text, `LIKE` / `ILIKE` (`%` and `_` wildcards). A run lacking the key does not match.
public struct RunFilter: Sendable {
    enum Entity: String, Sendable { case params, tags, metrics, attributes }
    enum Value: Sendable { case text(String), number(Double) }
    struct Clause: Sendable {
        let entity: Entity
        let key: String
        let op: String
        let value: Value
    }

    let clauses: [Clause]

    /// Parses a filter; an empty string matches every run.
    public init(_ text: String) throws {
        var tokens = try Self.tokenize(text)[...]
        var clauses: [Clause] = []
        func fail(_ message: String) -> PlatformError { PlatformError.invalid("filter", "\(message) in '\(text.prefix(300))'") }
        while let first = tokens.popFirst() {
            guard case let .identifier(name) = first else { throw fail("expected params.KEY, tags.KEY, metrics.KEY or attributes.NAME") }
            let (entity, key) = try Self.split(name, fail: fail)
            guard case let .op(op)? = tokens.popFirst() else { throw fail("expected a comparison after \(name)") }
            let value: Value
            switch tokens.popFirst() {
            case let .string(text)?: value = .text(text)
            case let .number(number)?: value = .number(number)
            default: throw fail("expected a quoted string or a number after \(name) \(op)")
            }
            if entity == .metrics, case .text = value { throw fail("metrics compare with numbers") }
            if (op == "LIKE" || op == "ILIKE"), case .number = value { throw fail("\(op) compares with a quoted pattern") }
            clauses.append(Clause(entity: entity, key: key, op: op, value: value))
            if let next = tokens.popFirst() {
                guard case let .identifier(word) = next, word.uppercased() == "AND" else { throw fail("expected AND between comparisons") }
            }
        }
        self.clauses = clauses
    }

    /// Whether a run satisfies every comparison.
    public func matches(_ run: Run) -> Bool {
        clauses.allSatisfy { clause in
            switch clause.entity {
            case .params: return run.params[clause.key].map { Self.compare($0, clause) } ?? false
            case .tags: return run.tags[clause.key].map { Self.compare($0, clause) } ?? false
            case .metrics:
                guard let point = run.latestMetrics.first(where: { $0.key == clause.key }) else { return false }
                return Self.compare(point.value, clause)
            case .attributes:
                switch clause.key {
                case "status": return Self.compare(run.status, clause)
                case "run_name": return Self.compare(run.name, clause)
                case "run_id": return Self.compare(run.id, clause)
                case "start_time": return Self.compare(Double(run.startTime), clause)
                case "end_time": return run.endTime.map { Self.compare(Double($0), clause) } ?? false
                default: return false
                }
            }
        }
    }

    static func compare(_ text: String, _ clause: Clause) -> Bool {
        guard case let .text(value) = clause.value else {
            guard let number = Double(text) else { return false }
            return compare(number, clause)
        }
        switch clause.op {
        case "LIKE": return like(text, value)
        case "ILIKE": return like(text.lowercased(), value.lowercased())
        default: return order(text, clause.op, value)
        }
    }

    static func compare(_ number: Double, _ clause: Clause) -> Bool {
        guard case let .number(value) = clause.value else { return false }
        return order(number, clause.op, value)
    }

    /// `lhs op rhs` for the comparison operators.
    static func order<T: Comparable>(_ lhs: T, _ op: String, _ rhs: T) -> Bool {
        switch op {
        case "=": return lhs == rhs
        case "!=": return lhs != rhs
        case "<": return lhs < rhs
        case "<=": return lhs <= rhs
        case ">": return lhs > rhs
        case ">=": return lhs >= rhs
        default: return false
        }
    }

    /// SQL LIKE: `%` any run of characters, `_` one character.
    static func like(_ text: String, _ pattern: String) -> Bool {
        let text = Array(text), pattern = Array(pattern)
        var memo: [Int: Bool] = [:]
        func match(_ i: Int, _ j: Int) -> Bool {
            if j == pattern.count { return i == text.count }
            let key = i * (pattern.count + 1) + j
            if let known = memo[key] { return known }
            let result: Bool
            switch pattern[j] {
            case "%": result = match(i, j + 1) || (i < text.count && match(i + 1, j))
            case "_": result = i < text.count && match(i + 1, j + 1)
            default: result = i < text.count && text[i] == pattern[j] && match(i + 1, j + 1)
            }
            memo[key] = result
            return result
        }
        return match(0, 0)
    }

    static func split(_ name: String, fail: (String) -> PlatformError) throws -> (Entity, String) {
        guard let dot = name.firstIndex(of: ".") else { throw fail("'\(name)' lacks an entity prefix such as params.") }
        let prefix = name[..<dot].lowercased()
        var key = String(name[name.index(after: dot)...])
        if key.count >= 2, let quote = key.first, quote == "`" || quote == "\"", key.last == quote {
            key = String(key.dropFirst().dropLast())
        }
        let entity: Entity
        switch prefix {
        case "params", "param", "parameter", "parameters": entity = .params
        case "tags", "tag": entity = .tags
        case "metrics", "metric": entity = .metrics
        case "attributes", "attribute", "attr", "run": entity = .attributes
        default: throw fail("unknown entity '\(prefix)'")
        }
        guard !key.isEmpty else { throw fail("'\(name)' names no key") }
        if entity == .attributes, !["status", "run_name", "run_id", "start_time", "end_time"].contains(key) {
            throw fail("unsupported attribute '\(key)'")
        }
        return (entity, key)
    }

    enum Token: Equatable { case identifier(String), op(String), string(String), number(Double) }

    static func tokenize(_ text: String) throws -> [Token] {
        let chars = Array(text)
        var tokens: [Token] = []
        var i = 0
        func fail(_ message: String) -> PlatformError { PlatformError.invalid("filter", "\(message) in '\(text.prefix(300))'") }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c == "'" {
                var value = ""
                i += 1
                while true {
                    guard i < chars.count else { throw fail("unterminated string") }
                    if chars[i] == "'" {
                        if i + 1 < chars.count, chars[i + 1] == "'" { value.append("'"); i += 2; continue }
                        i += 1
                        break
                    }
                    value.append(chars[i]); i += 1
                }
                tokens.append(.string(value))
            } else if "=!<>".contains(c) {
                var op = String(c)
                i += 1
                if i < chars.count, chars[i] == "=" { op.append("="); i += 1 }
                guard op != "!" else { throw fail("'!' must be followed by '='") }
                tokens.append(.op(op))
            } else if c.isNumber || c == "-" {
                var j = i + 1
                while j < chars.count, chars[j].isNumber || ".eE+-".contains(chars[j]) { j += 1 }
                guard let number = Double(String(chars[i..<j])) else { throw fail("'\(String(chars[i..<j]))' is not a number") }
                tokens.append(.number(number))
                i = j
            } else {
                var word = ""
                while i < chars.count, !chars[i].isWhitespace, !"=!<>'".contains(chars[i]) {
                    if chars[i] == "`" || chars[i] == "\"" {
                        let quote = chars[i]
                        word.append(quote); i += 1
                        while i < chars.count, chars[i] != quote { word.append(chars[i]); i += 1 }
                        guard i < chars.count else { throw fail("unterminated quoted key") }
                    }
                    word.append(chars[i]); i += 1
                }
                let upper = word.uppercased()
                tokens.append(upper == "LIKE" || upper == "ILIKE" ? .op(upper) : .identifier(word))
            }
        }
        return tokens
    }
}

/// MLflow's filter on one text attribute of experiments or registered models: empty (everything),
/// `ATTR = 'x'`, `ATTR != 'x'`, `ATTR LIKE 'x%'` or `ATTR ILIKE 'x%'`, where ATTR may be prefixed `attributes.`.
public struct AttributeFilter: Sendable {
    let clauses: [(attribute: String, op: String, value: String)]

    /// Parses a filter over the given attribute names (e.g. `["name"]`, or `["name", "run_id"]` for versions).
    public init(_ text: String, attributes: Set<String>) throws {
        var tokens = try RunFilter.tokenize(text)[...]
        var clauses: [(String, String, String)] = []
        func fail(_ message: String) -> PlatformError { PlatformError.invalid("filter", "\(message) in '\(text.prefix(300))'") }
        while let first = tokens.popFirst() {
            guard case var .identifier(name) = first else { throw fail("expected one of \(attributes.sorted())") }
            for prefix in ["attributes.", "attribute."] where name.lowercased().hasPrefix(prefix) { name = String(name.dropFirst(prefix.count)) }
            name = name.trimmingCharacters(in: CharacterSet(charactersIn: "`\""))
            guard attributes.contains(name) else { throw fail("'\(name)' cannot be filtered on; use \(attributes.sorted())") }
            guard case let .op(op)? = tokens.popFirst(), ["=", "!=", "LIKE", "ILIKE"].contains(op) else {
                throw fail("expected =, !=, LIKE or ILIKE after \(name)")
            }
            guard case let .string(value)? = tokens.popFirst() else { throw fail("expected a quoted string after \(name) \(op)") }
            clauses.append((name, op, value))
            if let next = tokens.popFirst() {
                guard case let .identifier(word) = next, word.uppercased() == "AND" else { throw fail("expected AND between comparisons") }
            }
        }
        self.clauses = clauses
    }

    /// Whether the values of the attributes (absent ones do not match) satisfy every comparison.
    public func matches(_ values: [String: String]) -> Bool {
        clauses.allSatisfy { clause in
            guard let text = values[clause.attribute] else { return false }
            switch clause.op {
            case "=": return text == clause.value
            case "!=": return text != clause.value
            case "LIKE": return RunFilter.like(text, clause.value)
            default: return RunFilter.like(text.lowercased(), clause.value.lowercased())
            }
        }
    }
}
