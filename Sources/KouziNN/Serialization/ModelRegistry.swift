import Foundation
import KouziTensor

/// A subclassed model that can be written to a model file and rebuilt from it: its class name and settings go to
/// `model.json`, its weights to safetensors; loading needs its code, registered with ``ModelRegistry``.
///
/// ```swift
/// final class GAN: Model, SerializableModel {
///     static var typeName: String { "GAN" }
///     var config: [String: JSONValue] { ["latent": .int(latent)] }
///     convenience init(config: ConfigReader) throws { self.init(latent: try config.int("latent")) }
///     …
/// }
/// ModelRegistry.register(GAN.self)
/// let restored = try Model.load(from: "gan.kouzi")
/// ```
public protocol SerializableModel: Model {
    /// The class name written to model files.
    static var typeName: String { get }
    /// The settings the model is rebuilt from (not its weights).
    var config: [String: JSONValue] { get }
    /// Rebuilds the model from its settings; throws naming the bad field.
    init(config: ConfigReader) throws
}

/// The model classes model files can name besides `Sequential` and `Functional`.
public enum ModelRegistry {
    nonisolated(unsafe) private static var types: [String: any SerializableModel.Type] = [:]
    private static let lock = NSLock()

    /// Registers a model class so files naming it can be loaded.
    public static func register(_ type: any SerializableModel.Type) {
        lock.withLock { types[type.typeName] = type }
    }

    /// The registered class named `name`.
    static func type(named name: String) -> (any SerializableModel.Type)? { lock.withLock { types[name] } }

    /// The class names model files can hold.
    public static var classNames: [String] { lock.withLock { ["Functional", "Sequential"] + types.keys.sorted() } }
}
