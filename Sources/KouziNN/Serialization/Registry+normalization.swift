extension LayerRegistry {
    /// The normalisation and regularisation layers that specs and model files can name.
    static var normalizationLayerTypes: [any SerializableLayer.Type] { [LayerNorm.self, BatchNorm.self, Dropout.self] }
}
