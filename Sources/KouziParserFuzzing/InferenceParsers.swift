import KouziInference

/// The fuzz targets of the inference request reader: the JSON body and the binary tensor data extension.
enum InferenceParsers {
    static func request(_ bytes: UnsafeRawBufferPointer) {
        guard let request = try? InferRequest.parse(bytes) else { return }
        decodeInputs(request)
    }

    static func binaryRequest(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 2 else { return }
        let jsonLength = Int(bytes[0]) | Int(bytes[1]) << 8
        guard let request = try? InferRequest.parse(UnsafeRawBufferPointer(rebasing: bytes[2...]), jsonLength: jsonLength)
        else { return }
        decodeInputs(request)
    }

    /// Checks each input as a server does before running a model on it.
    private static func decodeInputs(_ request: InferRequest) {
        for input in request.inputs {
            _ = try? InferenceCodec.decode(input)
        }
    }
}
