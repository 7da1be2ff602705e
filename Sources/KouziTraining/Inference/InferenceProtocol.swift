import Foundation
import KouziNN

/// One tensor of an Open Inference Protocol (KServe V2) request or response: `name`, `shape`, `datatype` and
/// `data` (row-major, flat or nested as the shape).
public struct InferTensor: Codable, Sendable, Equatable {
    public var name: String
    public var shape: [Int]
    public var datatype: String
    public var parameters: [String: JSONValue]?
    public var data: JSONValue

    public init(name: String, shape: [Int], datatype: String, data: JSONValue, parameters: [String: JSONValue]? = nil) {
        self.name = name
        self.shape = shape
        self.datatype = datatype
        self.data = data
        self.parameters = parameters
    }
}

/// An output the client asks for by name.
public struct RequestedOutput: Codable, Sendable, Equatable {
    public var name: String
    public var parameters: [String: JSONValue]?

    /// Asks for the output `name`.
    public init(name: String, parameters: [String: JSONValue]? = nil) {
        self.name = name
        self.parameters = parameters
    }
}

/// `POST /v2/models/{name}[/versions/{v}]/infer` request body.
public struct InferRequest: Codable, Sendable, Equatable {
    public var id: String?
    public var parameters: [String: JSONValue]?
    public var inputs: [InferTensor]
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
    public var modelName: String
    public var modelVersion: String?
    public var id: String?
    public var parameters: [String: JSONValue]?
    public var outputs: [InferTensor]

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
    public var name: String
    public var datatype: String
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
    public var name: String
    public var versions: [String]
    public var platform: String
    public var inputs: [InferTensorMetadata]
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
