/// A parser of outside bytes, as a fuzz target: ``run(_:)`` hands it arbitrary bytes.
///
/// A thrown error is the right answer to bad bytes and is ignored; only a trap, a crash or a hang is a
/// bug. Each target also does the cheap work a caller does next with a parsed value (extracting ZIP
/// entries, decoding WAV samples, converting IDX elements, checking inference inputs), so that code sees
/// the same bytes.
public enum ParserTarget: String, CaseIterable, Sendable {
    /// `CSVReader.read(bytes:)` and `RawTable(csv:)`.
    case csv
    /// `IDXFile(bytes:)` (gzip included) and its tensor conversions.
    case idx
    /// `ZipArchive(bytes:limits:)` and the extraction of every file entry.
    case zip
    /// `WAVInfo.parse` and `WAVInfo.decode`.
    case wav
    /// `ImageInfo.sniff` (PNG, JPEG, GIF, BMP, Netpbm headers).
    case image
    /// `SafeTensors.decode`.
    case safetensors
    /// A saved model's `model.json`: the manifest, then the model built from its architecture.
    case modelJSON
    /// `InferRequest.parse` of a JSON body, then `InferenceCodec.decode` of each input.
    case inferRequest
    /// `InferRequest.parse(_:jsonLength:)` of a binary-extension body (the first two bytes give the JSON
    /// length, little-endian), then `InferenceCodec.decode` of each input.
    case inferBinary
    /// `ONNXImporter.model(from:)`: the protobuf, the graph's checks and the layers built from its nodes.
    case onnx

    /// Feeds `bytes` to the parser.
    public func run(_ bytes: UnsafeRawBufferPointer) {
        switch self {
        case .csv: DataParsers.csv(Array(bytes))
        case .idx: DataParsers.idx(Array(bytes))
        case .zip: FormatParsers.zip(Array(bytes))
        case .wav: FormatParsers.wav(Array(bytes))
        case .image: FormatParsers.image(Array(bytes))
        case .safetensors: ModelParsers.safetensors(Array(bytes))
        case .modelJSON: ModelParsers.modelJSON(Array(bytes))
        case .inferRequest: InferenceParsers.request(bytes)
        case .inferBinary: InferenceParsers.binaryRequest(bytes)
        case .onnx: ModelParsers.onnx(Array(bytes))
        }
    }

    /// Feeds `bytes` to the parser.
    public func run(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { run($0) }
    }
}
