extension LayerRegistry {
    /// The attention layers that specs and model files can name.
    static var attentionLayerTypes: [any SerializableLayer.Type] { [] }
}
