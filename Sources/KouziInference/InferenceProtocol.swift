import KouziBase
import Foundation
import KouziNN

/// One tensor of an Open Inference Protocol (KServe V2) request or response: `name`, `shape`, `datatype` and
/// `data` (row-major, flat or nested as the shape).
public struct InferTensor: Codable, Sendable, Equatable {
    /// The input or output name.
    public var name: String
    /// Its dimensions, rows first.
    public var shape: [Int]
    /// BOOL, INT8…INT64, UINT8…UINT64, FP32, FP64 or BYTES.
    public var datatype: String
    /// Optional protocol parameters.
    public var parameters: [String: JSONValue]?
    /// The values, row-major, flat or nested as the shape.
    public var data: JSONValue

    /// A tensor of `data` in `shape`.
    public init(name: String, shape: [Int], datatype: String, data: JSONValue, parameters: [String: JSONValue]? = nil) {
        self.name = name
        self.shape = shape
        self.datatype = datatype
        self.data = data
        self.parameters = parameters
    }

    enum CodingKeys: String, CodingKey { case name, shape, datatype, parameters, data }

    /// A tensor carried as binary data (its parameters give `binary_data_size`) has no `data` member.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        shape = try c.decode([Int].self, forKey: .shape)
        datatype = try c.decode(String.self, forKey: .datatype)
        parameters = try c.decodeIfPresent([String: JSONValue].self, forKey: .parameters)
        data = parameters?[BinaryTensorData.sizeParameter] != nil
            ? try c.decodeIfPresent(JSONValue.self, forKey: .data) ?? .null
            : try c.decode(JSONValue.self, forKey: .data)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(shape, forKey: .shape)
        try c.encode(datatype, forKey: .datatype)
        try c.encodeIfPresent(parameters, forKey: .parameters)
        if !(data == .null && parameters?[BinaryTensorData.sizeParameter] != nil) { try c.encode(data, forKey: .data) }
    }
}

/// An output the client asks for by name.
public struct RequestedOutput: Codable, Sendable, Equatable {
    /// The output wanted.
    public var name: String
    /// Optional protocol parameters.
    public var parameters: [String: JSONValue]?

    /// Asks for the output `name`.
    public init(name: String, parameters: [String: JSONValue]? = nil) {
        self.name = name
        self.parameters = parameters
    }
}

/// `POST /v2/models/{name}[/versions/{v}]/infer` request body.
public struct InferRequest: Codable, Sendable, Equatable {
    /// An id echoed in the response.
    public var id: String?
    /// Optional protocol parameters (`routing_key` on a server with A/B splits).
    public var parameters: [String: JSONValue]?
    /// The input tensors.
    public var inputs: [InferTensor]
    /// The outputs wanted; all of them when nil or empty.
    public var outputs: [RequestedOutput]?

    /// A request for `inputs`, answering all outputs unless `outputs` names some.
    public init(id: String? = nil, parameters: [String: JSONValue]? = nil, inputs: [InferTensor], outputs: [RequestedOutput]? = nil) {
        self.id = id
        self.parameters = parameters
        self.inputs = inputs
        self.outputs = outputs
    }
}

/// The inference response body.
public struct InferResponse: Codable, Sendable, Equatable {
    /// The model (deployment) that answered.
    public var modelName: String
    /// The version that answered.
    public var modelVersion: String?
    /// The request's id.
    public var id: String?
    /// Protocol parameters (`variant` on a server with A/B splits).
    public var parameters: [String: JSONValue]?
    /// The output tensors.
    public var outputs: [InferTensor]

    /// A response of `modelName` at `modelVersion`.
    public init(modelName: String, modelVersion: String?, id: String?, parameters: [String: JSONValue]?, outputs: [InferTensor]) {
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.id = id
        self.parameters = parameters
        self.outputs = outputs
    }

    enum CodingKeys: String, CodingKey {
        case modelName = "model_name", modelVersion = "model_version", id, parameters, outputs
    }
}

/// A tensor's name, datatype and shape in model metadata.
public struct InferTensorMetadata: Codable, Sendable, Equatable {
    /// The input or output name.
    public var name: String
    /// Its datatype.
    public var datatype: String
    /// Its shape; -1 for any length.
    public var shape: [Int]

    /// Describes one input or output.
    public init(name: String, datatype: String, shape: [Int]) {
        self.name = name
        self.datatype = datatype
        self.shape = shape
    }
}

/// `GET /v2/models/{name}` answer: the model's name, versions, platform, inputs and outputs.
public struct InferModelMetadata: Codable, Sendable, Equatable {
    /// The model (deployment) name.
    public var name: String
    /// The versions served.
    public var versions: [String]
    /// `kouzi`.
    public var platform: String
    /// The inputs it reads.
    public var inputs: [InferTensorMetadata]
    /// The outputs it gives.
    public var outputs: [InferTensorMetadata]

    /// Metadata of a model on the `kouzi` platform.
    public init(name: String, versions: [String], platform: String = "kouzi", inputs: [InferTensorMetadata],
                outputs: [InferTensorMetadata]) {
        self.name = name
        self.versions = versions
        self.platform = platform
        self.inputs = inputs
        self.outputs = outputs
    }
}
