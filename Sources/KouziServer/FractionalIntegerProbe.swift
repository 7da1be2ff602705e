import Foundation

/// Foundation's `JSONDecoder` reports a number that does not fit its field's integer type (`"userID": 1.5`, or an
/// integer beyond 64 bits) as "the given data was not valid JSON", without a coding path. When the body is valid
/// JSON, this finds the field: each such number is made whole in turn, and the one whose change lets the body
/// decode (or fail differently) is reported as a type mismatch at its path, which the API's errors then name.
enum FractionalIntegerProbe {
    static func locate<T: Decodable>(_ error: DecodingError, in data: Data, as type: T.Type) -> DecodingError? {
        guard case let .dataCorrupted(context) = error, context.codingPath.isEmpty,
              let root = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        for path in suspects(in: root, at: []) {
            guard let probe = try? JSONSerialization.data(withJSONObject: replacing(path, in: root), options: [.fragmentsAllowed])
            else { continue }
            do {
                _ = try JSONDecoder().decode(T.self, from: probe)
            } catch let other as DecodingError {
                if case let .dataCorrupted(c) = other, c.codingPath.isEmpty { continue }
            } catch {}
            return .typeMismatch(Int.self, .init(codingPath: path, debugDescription: "expected an integer"))
        }
        return nil
    }

    /// The paths of numbers no integer type holds: fractions and magnitudes beyond 64 bits.
    private static func suspects(in value: Any, at path: [PathKey]) -> [[PathKey]] {
        switch value {
        case let object as [String: Any]:
            return object.keys.sorted().flatMap { suspects(in: object[$0]!, at: path + [PathKey(stringValue: $0)]) }
        case let array as [Any]:
            return array.indices.flatMap { suspects(in: array[$0], at: path + [PathKey(intValue: $0)]) }
        case is Bool, is String:
            return []
        case let number as NSNumber:
            let x = number.doubleValue
            return x.rounded() != x || abs(x) >= 9.2e18 ? [path] : []
        default:
            return []
        }
    }

    /// `value` with the number at `path` replaced by 0.
    private static func replacing(_ path: [PathKey], in value: Any) -> Any {
        guard let head = path.first else { return 0 }
        let rest = Array(path.dropFirst())
        if var object = value as? [String: Any], let child = object[head.stringValue] {
            object[head.stringValue] = replacing(rest, in: child)
            return object
        }
        if var array = value as? [Any], let index = head.intValue, array.indices.contains(index) {
            array[index] = replacing(rest, in: array[index])
            return array
        }
        return value
    }

    struct PathKey: CodingKey {
        let stringValue: String
        let intValue: Int?
        init(stringValue: String) { self.stringValue = stringValue; intValue = nil }
        init(intValue: Int) { stringValue = String(intValue); self.intValue = intValue }
    }
}
