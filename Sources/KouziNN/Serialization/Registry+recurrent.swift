extension LayerRegistry {
    /// The recurrent layers that specs and model files can name.
    static var recurrentLayerTypes: [any SerializableLayer.Type] { [] }
}
