/// Side information about items: titles, categorical features (such as genres) and a year.
///
/// Arrays are indexed like the data set's item ``IdMap``; items without a feature row have an empty title
/// and no features, which every model treats as "no side information".
public struct ItemFeatures: Sendable {
    /// The title of each item (may be empty).
    public var titles: [String]
    /// The indices into `featureNames` of each item's categorical features (for MovieLens: its genres).
    public var categories: [[Int]]
    /// The names of the categorical features.
    public var featureNames: [String]
    /// The release year of each item, or nil when unknown.
    public var years: [Int?]

    /// Empty features for `count` items over the given feature names.
    public init(count: Int, featureNames: [String]) {
        titles = Array(repeating: "", count: count)
        categories = Array(repeating: [], count: count)
        self.featureNames = featureNames
        years = Array(repeating: nil, count: count)
    }

    /// The number of items covered.
    public var count: Int { titles.count }
}

/// Side information about users (MovieLens `u.user`: age, gender, occupation, zip code).
public struct UserFeatures: Sendable {
    /// Age in years, or nil.
    public var ages: [Int?]
    /// Gender code (`"M"`, `"F"`), or empty.
    public var genders: [String]
    /// Occupation, or empty.
    public var occupations: [String]
    /// Zip code, or empty.
    public var zipCodes: [String]

    /// Empty features for `count` users.
    public init(count: Int) {
        ages = Array(repeating: nil, count: count)
        genders = Array(repeating: "", count: count)
        occupations = Array(repeating: "", count: count)
        zipCodes = Array(repeating: "", count: count)
    }

    /// The number of users covered.
    public var count: Int { ages.count }

    /// Categorical feature tokens of user `u` (`age:20s`, `gender:M`, `occupation:writer`) for hybrid models.
    public func tokens(of u: Int) -> [String] {
        guard u < count else { return [] }
        var out: [String] = []
        if let age = ages[u] { out.append("age:\(min(age / 10, 6))") }
        if !genders[u].isEmpty { out.append("gender:\(genders[u])") }
        if !occupations[u].isEmpty { out.append("occupation:\(occupations[u])") }
        return out
    }
}
