extension LayerRegistry {
    /// The attention layers that specs and model files can name.
    static var attentionLayerTypes: [any SerializableLayer.Type] {
        [MultiHeadAttention.self, SinusoidalPositionalEncoding.self, LearnedPositionalEmbedding.self, TransformerEncoderLayer.self]
    }
}
