extension LayerRegistry {
    /// The normalization layers that specs and model files can name.
    static var normalizationLayerTypes: [any SerializableLayer.Type] { [] }
}
