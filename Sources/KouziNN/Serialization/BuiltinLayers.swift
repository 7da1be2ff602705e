/// The layer types every spec and model file can name, grouped by family (one line per family).
extension LayerRegistry {
    static var builtinLayerTypes: [any SerializableLayer.Type] {
        coreLayerTypes + convolutionLayerTypes + normalizationLayerTypes + recurrentLayerTypes + attentionLayerTypes
            + mergeLayerTypes + [RandomFlip.self, RandomTranslation.self]
    }

    static var coreLayerTypes: [any SerializableLayer.Type] { [Dense.self, ActivationLayer.self] }
}
