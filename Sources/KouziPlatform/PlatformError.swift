import Foundation
import KouziInference
import KouziTables
import KouziTraining

/// A failure the platform reports to its caller: a kind (which becomes the HTTP status), a stable machine code
/// and a message a person can act on.
public struct PlatformError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The class of failure.
    public enum Kind: String, Sendable {
        case badRequest, unauthorized, forbidden, notFound, conflict, tooLarge, unsupportedMediaType, unprocessable
        case unavailable
    }

    /// The class of failure.
    public var kind: Kind
    /// A stable code clients can branch on, e.g. `dataset_not_found`.
    public var code: String
    /// What went wrong, naming the offending value.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, code: String, _ message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// A missing resource; also used for resources of another project, so their existence does not leak.
    public static func notFound(_ what: String, _ id: CustomStringConvertible) -> PlatformError {
        PlatformError(.notFound, code: "\(what.replacingOccurrences(of: " ", with: "_"))_not_found",
                      "\(what) \(id) not found")
    }

    /// An invalid request field.
    public static func invalid(_ field: String, _ message: String) -> PlatformError {
        PlatformError(.badRequest, code: "invalid_\(field)", "\(field): \(message)")
    }
}

extension PlatformError {
    /// Maps storage, artifact and inference-input failures to platform errors (everything else stays as it is).
    public static func wrap(_ error: any Error) -> any Error {
        switch error {
        case let error as InferenceError:
            if case .notExplainable = error { return PlatformError(.badRequest, code: "not_explainable", error.description) }
            return PlatformError(.badRequest, code: "invalid_input", error.description)
        case let error as CleaningError:
            return PlatformError(.badRequest, code: "invalid_pipeline", error.description)
        case let error as StoreError:
            if case let .conflict(message) = error { return PlatformError(.conflict, code: "conflict", message) }
            if case .unavailable = error { return PlatformError(.unavailable, code: "database_unavailable", error.description) }
            return error
        case let error as ArtifactError:
            switch error {
            case .tooLarge: return PlatformError(.tooLarge, code: "too_large", error.description)
            case .missing, .corrupt: return PlatformError(.unavailable, code: "artifact_unavailable", error.description)
            case .io: return error
            }
        default:
            return error
        }
    }
}

/// Checks a user-chosen name, an identifier that also appears in paths: 1–100 ASCII letters, digits, `-`, `_` or `.`,
/// starting with a letter or digit (free text belongs in the description).
func validateName(_ name: String, field: String = "name") throws {
    func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
    let bytes = Array(name.utf8)
    guard let first = bytes.first, isLetterOrDigit(first), bytes.count <= 100,
          bytes.allSatisfy({ isLetterOrDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }) else {
        throw PlatformError.invalid(field, "'\(name)' must be 1–100 ASCII letters, digits, '-', '_' or '.', starting with a letter or digit")
    }
}

