import Foundation
import KouziBase
import KouziNN
import KouziONNX
import KouziTensor

/// The fuzz targets of saved models: the safetensors weights, the `model.json` manifest and ONNX files.
enum ModelParsers {
    static func safetensors(_ bytes: [UInt8]) {
        _ = try? SafeTensors.decode(bytes)
    }

    /// Reads an ONNX model as an upload is read: parsed, checked and turned into layers.
    static func onnx(_ bytes: [UInt8]) {
        _ = try? ONNXImporter.model(from: Data(bytes))
    }

    /// Decodes the manifest as loading a model does, then builds the model its architecture describes when
    /// ``ArchitectureSize`` finds it small (a valid architecture may ask for any amount of memory, which is
    /// not a parsing fault), and builds its weights from the declared input shape.
    static func modelJSON(_ bytes: [UInt8]) {
        guard let manifest = try? JSONDecoder().decode(ModelFile.Manifest.self, from: Data(bytes)),
              ArchitectureSize.isSmall(.object(manifest.architecture)) else { return }
        var architecture = manifest.architecture
        let declared = architecture.removeValue(forKey: "input_shape")?.arrayValue?.compactMap(\.intValue)
        guard let model = try? Model.fromArchitecture(.object(architecture)) else { return }
        let sampleShape = declared.flatMap { $0.isEmpty ? nil : $0 }
            ?? manifest.inputs.first.flatMap { $0.shape.count > 1 ? Array($0.shape.dropFirst()) : nil }
        guard let sampleShape, ArchitectureSize.isSmall(model, sampleShape: sampleShape) else { return }
        try? model.ensureBuilt(sampleShape: sampleShape)
    }
}
