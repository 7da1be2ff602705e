import Foundation

extension TrackingService {
    /// The longest parameter value, tag value and key MLflow accepts.
    static let maxParamValue = 6000, maxTagValue = 8000, maxKey = 250

    /// Checks a metric, parameter or tag key: 1–250 letters, digits, `_`, `-`, `.`, ` `, `/`, without `..` or a
    /// leading `/` (MLflow's rule, which keeps keys usable as file paths).
    static func validate(key: String, field: String) throws {
        let allowed = key.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "_-. /".unicodeScalars.contains($0)
        }
        guard !key.isEmpty, key.count <= maxKey, allowed, !key.hasPrefix("/"), !key.contains("..") else {
            throw PlatformError.invalid(field, "'\(key.prefix(300))' must be 1–\(maxKey) letters, digits, '_', '-', '.', ' ' or '/', not starting with '/' nor containing '..'")
        }
    }

    /// Checks an experiment name: 1–200 characters without control characters (MLflow names such as
    /// `/Users/ana/churn` are allowed).
    static func validate(experimentName name: String) throws {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 200,
              !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw PlatformError.invalid("name", "'\(name.prefix(300))' must be 1–200 characters without control characters")
        }
    }

    static func validate(params: [String: String], tags: [String: String]) throws {
        for (key, value) in params {
            try validate(key: key, field: "param key")
            guard value.count <= maxParamValue else {
                throw PlatformError.invalid("param value", "the value of '\(key)' has \(value.count) characters; the limit is \(maxParamValue)")
            }
        }
        for (key, value) in tags {
            try validate(key: key, field: "tag key")
            guard value.count <= maxTagValue else {
                throw PlatformError.invalid("tag value", "the value of '\(key)' has \(value.count) characters; the limit is \(maxTagValue)")
            }
        }
    }

    static func validate(metrics: [MetricPoint]) throws {
        for point in metrics {
            try validate(key: point.key, field: "metric key")
            guard point.value.isFinite else {
                throw PlatformError.invalid("metric value", "'\(point.key)' has the value \(point.value); metric values must be finite numbers")
            }
        }
    }

    /// Normalises an artifact path: relative, `/`-separated, no empty, `.` or `..` parts.
    static func artifactPath(_ path: String) throws -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.isEmpty, parts.count <= 32, path.utf8.count <= 1024,
              parts.allSatisfy({ $0 != "." && $0 != ".." && !$0.contains("\\") && !$0.contains("\0") }) else {
            throw PlatformError.invalid("path", "'\(path.prefix(300))' is not a relative artifact path (no '.', '..' or empty parts)")
        }
        return parts.joined(separator: "/")
    }
}
