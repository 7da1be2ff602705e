extension LayerRegistry {
    /// The convolution layers that specs and model files can name.
    static var convolutionLayerTypes: [any SerializableLayer.Type] { [] }
}
