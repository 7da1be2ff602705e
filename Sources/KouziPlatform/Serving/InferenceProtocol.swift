import KouziTraining

// The Open Inference Protocol (KServe V2) types live in KouziTraining, where the server and `kouzi-infer` share them;
// these names keep them reachable through KouziPlatform.

/// One tensor of an Open Inference Protocol request or response.
public typealias InferTensor = KouziTraining.InferTensor
/// An output the client asks for by name.
public typealias RequestedOutput = KouziTraining.RequestedOutput
/// `POST /v2/models/{name}[/versions/{v}]/infer` request body.
public typealias InferRequest = KouziTraining.InferRequest
/// The inference response body.
public typealias InferResponse = KouziTraining.InferResponse
/// The values of an input tensor after its datatype, shape and data were checked.
public typealias DecodedTensor = KouziTraining.DecodedTensor
/// Reading and writing Open Inference Protocol tensors.
public typealias InferenceCodec = KouziTraining.InferenceCodec
/// A tensor's name, datatype and shape in model metadata.
public typealias InferTensorMetadata = KouziTraining.InferTensorMetadata
