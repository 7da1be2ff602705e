extension LayerRegistry {
    /// The merging layers of functional models that specs and model files can name.
    static var mergeLayerTypes: [any SerializableLayer.Type] {
        [Add.self, Subtract.self, Multiply.self, Average.self, Maximum.self, Minimum.self, Concatenate.self]
    }
}
