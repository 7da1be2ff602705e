import Foundation
import KouziTensor

extension FactorRecommender {
    /// The file naming a directory as a saved recommender.
    public static let manifestName = "recommender.json"
    static let tensorsName = "factors.safetensors"
    static let formatVersion = 1

    private struct Manifest: Codable {
        var format: Int
        var algorithm: String
        var feedback: Feedback
        var factors: Int
        var globalMean: Double
        var scaleLower: Double?
        var scaleUpper: Double?
        var users: [String]
        var items: [String]
        var metrics: [String: Double]
        var settings: [String: String]
    }

    /// Whether `directory` holds a saved recommender.
    public static func isSaved(in directory: String) -> Bool {
        FileManager.default.fileExists(atPath: directory + "/" + manifestName)
    }

    /// Writes the model into `directory` (created when missing): the manifest and the vectors.
    public func save(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard seen.nonZeroCount < 1 << 24, users.count < 1 << 24, items.count < 1 << 24 else {
            throw RecError.invalidParameter(name: "model size", value: "\(seen.nonZeroCount) interactions",
                                            reason: "indices are stored as 32-bit floats, exact below 2^24")
        }
        var rows: [Float] = [], columns: [Float] = []
        rows.reserveCapacity(seen.nonZeroCount)
        columns.reserveCapacity(seen.nonZeroCount)
        for u in 0..<seen.rowCount {
            for q in seen.range(of: u) {
                rows.append(Float(u))
                columns.append(Float(seen.columns[q]))
            }
        }
        try SafeTensors.write([
            ("user_factors", Tensor(shape: [users.count, factors], scalars: userFactors)),
            ("item_factors", Tensor(shape: [items.count, factors], scalars: itemFactors)),
            ("user_biases", Tensor(shape: [users.count], scalars: userBiases)),
            ("item_biases", Tensor(shape: [items.count], scalars: itemBiases)),
            ("seen_users", Tensor(shape: [rows.count], scalars: rows)),
            ("seen_items", Tensor(shape: [columns.count], scalars: columns)),
        ], metadata: ["format": "kouzi.recommender"], to: directory + "/" + Self.tensorsName)
        let manifest = Manifest(format: Self.formatVersion, algorithm: algorithm, feedback: feedback, factors: factors,
                                globalMean: globalMean, scaleLower: scale?.lower, scaleUpper: scale?.upper, users: users.ids,
                                items: items.ids, metrics: metrics, settings: settings)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(manifest).write(to: URL(fileURLWithPath: directory + "/" + Self.manifestName), options: .atomic)
    }

    /// Reads a model saved by ``save(to:)``.
    /// - Throws: ``RecError/fileUnreadable(path:reason:)`` naming what is missing, malformed or inconsistent.
    public static func load(from directory: String) throws -> FactorRecommender {
        let path = directory + "/" + manifestName
        func broken(_ reason: String) -> RecError { .fileUnreadable(path: directory, reason: reason) }
        let manifest: Manifest
        do { manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            throw broken("\(manifestName) is missing or not valid (\(error))")
        }
        guard manifest.format <= formatVersion else { throw broken("format \(manifest.format) is newer than this build reads") }
        let tensors: [String: Tensor]
        do { tensors = try SafeTensors.read(from: directory + "/" + tensorsName).tensors } catch {
            throw broken("\(tensorsName): \(error)")
        }
        let u = manifest.users.count, i = manifest.items.count, f = manifest.factors
        func tensor(_ name: String, _ count: Int?) throws -> [Float] {
            guard let t = tensors[name] else { throw broken("\(tensorsName) has no tensor '\(name)'") }
            if let count, t.scalars.count != count { throw broken("'\(name)' holds \(t.scalars.count) values, expected \(count)") }
            return t.scalars
        }
        let seenUsers = try tensor("seen_users", nil), seenItems = try tensor("seen_items", nil)
        guard seenUsers.count == seenItems.count,
              seenUsers.allSatisfy({ $0 >= 0 && Int($0) < u }), seenItems.allSatisfy({ $0 >= 0 && Int($0) < i }) else {
            throw broken("the seen-item lists do not fit \(u) users and \(i) items")
        }
        var scale: RatingScale?
        if let lower = manifest.scaleLower, let upper = manifest.scaleUpper {
            do { scale = try RatingScale(lower: lower, upper: upper) } catch { throw broken("its rating scale is invalid (\(error))") }
        }
        var model = FactorRecommender(
            algorithm: manifest.algorithm, feedback: manifest.feedback, users: IdMap(manifest.users), items: IdMap(manifest.items),
            factors: f, userFactors: try tensor("user_factors", u * f), itemFactors: try tensor("item_factors", i * f),
            userBiases: try tensor("user_biases", u), itemBiases: try tensor("item_biases", i), globalMean: manifest.globalMean,
            scale: scale, seen: CSRMatrix(rowCount: u, columnCount: i, rows: seenUsers.map { Int32($0) },
                                          columns: seenItems.map { Int32($0) }, values: [Float](repeating: 1, count: seenUsers.count)))
        model.metrics = manifest.metrics
        model.settings = manifest.settings
        return model
    }
}

extension SVD {
    /// The fitted model frozen for serving.
    public func recommender() throws(RecError) -> FactorRecommender {
        guard let c = context else { throw RecError.notFitted(model: name) }
        return FactorRecommender(algorithm: "svd", feedback: .ratings, users: c.users, items: c.items, factors: factors,
                                 userFactors: userFactors, itemFactors: itemFactors, userBiases: biased ? userBiases : [],
                                 itemBiases: biased ? itemBiases : [], globalMean: c.globalMean, scale: c.scale, seen: c.byUser)
    }
}

extension ImplicitALS {
    /// The fitted model frozen for serving.
    public func recommender() throws(RecError) -> FactorRecommender {
        let maps = idMaps
        guard maps.items.count > 0 else { throw RecError.notFitted(model: name) }
        return FactorRecommender(algorithm: "als", feedback: .events, users: maps.users, items: maps.items, factors: factors,
                                 userFactors: userFactors, itemFactors: itemFactors, userBiases: [], itemBiases: [],
                                 globalMean: 0, scale: nil, seen: seenItems)
    }
}

extension BPR {
    /// The fitted model frozen for serving.
    public func recommender() throws(RecError) -> FactorRecommender {
        let maps = idMaps
        guard maps.items.count > 0 else { throw RecError.notFitted(model: name) }
        return FactorRecommender(algorithm: "bpr", feedback: .events, users: maps.users, items: maps.items, factors: factors,
                                 userFactors: userFactors, itemFactors: itemFactors, userBiases: [], itemBiases: itemBiases,
                                 globalMean: 0, scale: nil, seen: seenItems)
    }
}
