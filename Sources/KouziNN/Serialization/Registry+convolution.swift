extension LayerRegistry {
    /// The convolution layers that specs and model files can name.
    static var convolutionLayerTypes: [any SerializableLayer.Type] {
        [Conv1D.self, Conv2D.self, Conv2DTranspose.self, MaxPool1D.self, MaxPool2D.self, AveragePool1D.self,
         AveragePool2D.self, GlobalAveragePool1D.self, GlobalAveragePool2D.self, GlobalMaxPool1D.self,
         GlobalMaxPool2D.self, Flatten.self, Reshape.self, ZeroPadding1D.self, ZeroPadding2D.self,
         UpSampling1D.self, UpSampling2D.self, Permute.self]
    }
}
