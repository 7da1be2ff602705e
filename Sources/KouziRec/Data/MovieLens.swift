/// MovieLens 100K read from its original files (`u.data`, `u.item`, `u.user`; the latter two Latin-1).
///
/// ```swift
/// guard let dir = DatasetLocator.directory(named: "movielens-100k") else { return }
/// let ml = try MovieLens100K.load(directory: dir)
/// print(ml.ratings.count)   // 100000
/// ```
public struct MovieLens100K: Sendable {
    /// The 100,000 ratings on the 1…5 scale, with timestamps.
    public let ratings: InteractionDataset
    /// Titles, genres and years, indexed like `ratings.items`.
    public let itemFeatures: ItemFeatures
    /// Age, gender, occupation and zip code, indexed like `ratings.users`.
    public let userFeatures: UserFeatures

    /// The 19 genre names of `u.genre`, in column order.
    public static let genres = ["unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
                                "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
                                "Romance", "Sci-Fi", "Thriller", "War", "Western"]

    /// Loads the data set from `directory`; `u.item` and `u.user` are optional.
    ///
    /// - Throws: ``RecError/fileUnreadable(path:reason:)`` when `u.data` is missing,
    ///   ``RecError/malformedLine(file:line:reason:)`` naming the file and line of a bad row.
    public static func load(directory: String) throws(RecError) -> MovieLens100K {
        let ratingsPath = directory + "/u.data"
        let raw = try readInteractions(path: ratingsPath, separator: UInt8(ascii: "\t"))
        let ratings = try InteractionDataset(interactions: raw, scale: .fiveStar)
        var items = ItemFeatures(count: ratings.items.count, featureNames: genres)
        if let lines = try? latin1Lines(directory + "/u.item") {
            for (n, line) in lines.enumerated() where !line.isEmpty {
                let f = line.split(separator: "|", omittingEmptySubsequences: false)
                guard f.count >= 5 + genres.count else {
                    throw RecError.malformedLine(file: directory + "/u.item", line: n + 1,
                                                 reason: "expected \(5 + genres.count) fields, found \(f.count)")
                }
                guard let i = ratings.items.index(of: String(f[0])) else { continue }
                items.titles[i] = String(f[1]).trimmingSpaces()
                let date = f[2]
                if date.count >= 4, let y = Int(date.suffix(4)) { items.years[i] = y }
                items.categories[i] = (0..<genres.count).filter { f[5 + $0] == "1" }
            }
        }
        var users = UserFeatures(count: ratings.users.count)
        if let lines = try? latin1Lines(directory + "/u.user") {
            for (n, line) in lines.enumerated() where !line.isEmpty {
                let f = line.split(separator: "|", omittingEmptySubsequences: false)
                guard f.count == 5 else {
                    throw RecError.malformedLine(file: directory + "/u.user", line: n + 1,
                                                 reason: "expected 5 fields, found \(f.count)")
                }
                guard let u = ratings.users.index(of: String(f[0])) else { continue }
                users.ages[u] = Int(f[1]); users.genders[u] = String(f[2])
                users.occupations[u] = String(f[3]); users.zipCodes[u] = String(f[4])
            }
        }
        return MovieLens100K(ratings: ratings, itemFeatures: items, userFeatures: users)
    }

    /// Reads `user<sep>item<sep>rating<sep>timestamp` lines (the `u.data` layout) without allocating per row
    /// beyond the id strings.
    public static func readInteractions(path: String, separator: UInt8) throws(RecError) -> [RawInteraction] {
        let bytes = try readFileBytes(path)
        var out: [RawInteraction] = []
        out.reserveCapacity(bytes.count / 20)
        var fields: [Substring] = []
        var line = 0
        let text = String(decoding: bytes, as: UTF8.self)
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            line += 1
            let l = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if l.isEmpty { continue }
            fields = l.split(separator: Character(Unicode.Scalar(separator)), omittingEmptySubsequences: false)
            guard fields.count >= 3 else {
                throw RecError.malformedLine(file: path, line: line, reason: "expected ≥ 3 fields, found \(fields.count)")
            }
            guard let value = Double(fields[2]) else {
                throw RecError.malformedLine(file: path, line: line, reason: "rating '\(fields[2])' is not a number")
            }
            var ts: Int64 = 0
            if fields.count >= 4 {
                guard let t = Int64(fields[3]) else {
                    throw RecError.malformedLine(file: path, line: line, reason: "timestamp '\(fields[3])' is not an integer")
                }
                ts = t
            }
            out.append(RawInteraction(user: String(fields[0]), item: String(fields[1]), value: value, timestamp: ts))
        }
        guard !out.isEmpty else { throw RecError.empty(what: "ratings file '\(path)'") }
        return out
    }

    /// The lines of a Latin-1 file, decoded byte-for-code-point.
    static func latin1Lines(_ path: String) throws(RecError) -> [String] {
        let bytes = try readFileBytes(path)
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for b in bytes { scalars.append(Unicode.Scalar(b)) }
        return String(scalars).split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
    }
}
