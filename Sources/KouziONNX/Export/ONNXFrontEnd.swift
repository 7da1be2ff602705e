import KouziTensor

/// Steps written before the network, so that an exported file takes raw inputs (table columns, strings included)
/// and applies the preprocessing a model was trained with.
public struct ONNXFrontEnd {
    /// One raw input of the file.
    public struct Input {
        public let name: String
        public let type: ONNXElementType
        /// Batch first as -1.
        public let shape: [Int]

        public init(name: String, type: ONNXElementType, shape: [Int]) {
            self.name = name
            self.type = type
            self.shape = shape
        }
    }

    /// The file's inputs.
    public let inputs: [Input]
    /// Writes the steps from the inputs to the network's input and returns that value's name.
    public let write: (ONNXGraphBuilder) throws -> String

    public init(inputs: [Input], write: @escaping (ONNXGraphBuilder) throws -> String) {
        self.inputs = inputs
        self.write = write
    }
}
