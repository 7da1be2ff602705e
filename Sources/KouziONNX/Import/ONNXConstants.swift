import Foundation
import KouziTensor

extension Onnx_TensorProto {
    /// The tensor's values as a Kouzi tensor (float32, int32 or int64; doubles, booleans and bytes read as float32).
    ///
    /// - Throws: ``ONNXError/externalData(_:)`` for data stored in another file, ``ONNXError/malformed(_:)`` for an
    ///   element type Kouzi does not hold or a byte count that does not match the shape.
    func kouziTensor() throws -> Tensor {
        guard dataLocation != .external, externalData.isEmpty else {
            let file = externalData.first { $0.key == "location" }?.value ?? "another file"
            throw ONNXError.externalData("tensor '\(name)' refers to \(file); upload a model with its weights inside the file")
        }
        let shape = dims.map(Int.init)
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, { $0.multipliedReportingOverflow(by: $1).partialValue }) <= 1 << 31 else {
            throw ONNXError.malformed("tensor '\(name)' has dimensions \(dims)")
        }
        let count = shape.reduce(1, *)
        guard let type = ONNXElementType(rawValue: dataType) else {
            throw ONNXError.malformed("tensor '\(name)' has element type \(dataType), which Kouzi does not read")
        }
        func fromRaw<T>(_: T.Type, _ convert: ([T]) -> Tensor) throws -> Tensor {
            guard rawData.count == count * MemoryLayout<T>.size else {
                throw ONNXError.malformed("tensor '\(name)' holds \(rawData.count) bytes for \(count) values of \(type)")
            }
            let values = rawData.withUnsafeBytes { raw in (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self) } }
            return convert(values)
        }
        func checked<T>(_ values: [T]) throws -> [T] {
            guard values.count == count else {
                throw ONNXError.malformed("tensor '\(name)' holds \(values.count) values for shape \(shape)")
            }
            return values
        }
        let raw = !rawData.isEmpty || count == 0
        switch type {
        case .float:
            return raw ? try fromRaw(Float.self) { Tensor(shape: shape, scalars: $0) } : Tensor(shape: shape, scalars: try checked(floatData))
        case .double:
            return raw ? try fromRaw(Double.self) { Tensor(shape: shape, scalars: $0.map(Float.init)) }
                : Tensor(shape: shape, scalars: try checked(doubleData).map(Float.init))
        case .int64:
            return raw ? try fromRaw(Int64.self) { Tensor(shape: shape, values: $0) } : Tensor(shape: shape, values: try checked(int64Data))
        case .int32:
            return raw ? try fromRaw(Int32.self) { Tensor(shape: shape, values: $0) } : Tensor(shape: shape, values: try checked(int32Data))
        case .string:
            throw ONNXError.unsupportedOperators(["tensor '\(name)' holds strings (Kouzi reads numeric weights)"])
        case .bool, .uint8, .int8:
            if raw {
                guard rawData.count == count else { throw ONNXError.malformed("tensor '\(name)' holds \(rawData.count) bytes for \(count) values") }
                return Tensor(shape: shape, scalars: rawData.map { type == .int8 ? Float(Int8(bitPattern: $0)) : Float($0) })
            }
            return Tensor(shape: shape, scalars: try checked(int32Data).map(Float.init))
        }
    }
}
