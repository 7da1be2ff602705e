/// An error of the training pipeline, with a message that names the file, column or value at fault.
public enum TrainingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A file or directory that does not exist or cannot be read.
    case missingPath(kind: String, path: String)
    /// Data that does not fit the model or the template (wrong columns, wrong feature count …).
    case invalidData(String)
    /// A model file whose saved preprocessing cannot be used.
    case invalidModel(path: String, reason: String)
    /// A template, hyper-parameter or spec that cannot be used, naming the field at fault.
    case invalidConfiguration(field: String, message: String)
    /// Anything else, with its full message.
    case failed(String)

    public var description: String {
        switch self {
        case let .missingPath(kind, path): return "\(kind) '\(path)' does not exist"
        case let .invalidData(message): return message
        case let .invalidModel(path, reason): return "cannot use model '\(path)': \(reason)"
        case let .invalidConfiguration(field, message): return "\(field): \(message)"
        case let .failed(message): return message
        }
    }
}

import Foundation

extension FileManager {
    /// Whether `path` names an existing directory.
    package func isDirectory(_ path: String) -> Bool {
        var flag: ObjCBool = false
        return fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
    }
}
