extension LayerRegistry {
    /// The recurrent layers that specs and model files can name.
    static var recurrentLayerTypes: [any SerializableLayer.Type] {
        [Embedding.self, SimpleRNN.self, LSTM.self, GRU.self, Bidirectional.self, TimeDistributed.self]
    }
}
