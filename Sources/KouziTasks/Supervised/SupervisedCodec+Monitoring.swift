import Foundation
import KouziData
import KouziInference
import KouziMonitoring

extension SupervisedCodec {
    /// The monitored features of a request's inputs, in the order of the reference profile: the table's columns, a
    /// sentence's characters and words, or an image's pixel statistics.
    func monitoredFeatures(_ inputs: [InferTensor]) -> (columns: [DataTable.Column?], rows: Int)? {
        guard let reference, let decoded = try? inputs.map({ ($0.name, try InferenceCodec.decode($0)) }), let first = decoded.first else { return nil }
        switch reference.source {
        case .text:
            guard case let .strings(values, _) = first.1 else { return nil }
            return (ReferenceProfile.textFeatures(values.map { Optional($0) }), values.count)
        case .images:
            guard case let .numbers(values, shape, datatype) = first.1, let rows = shape.first, rows > 0,
                  let sampleShape = reference.sampleShape, values.count == rows * sampleShape.reduce(1, *) else { return nil }
            let scaled = datatype == "UINT8" && preprocessing.images?.normalized == true ? values.map { $0 / 255 } : values
            return (ReferenceProfile.imageFeatures(scaled, rows: rows, sampleShape: sampleShape).map { Optional($0) }, rows)
        case .table:
            let names = reference.features.map(\.name)
            // One numeric [N, features] tensor that is not itself a column: its columns in order.
            if decoded.count == 1, case let .numbers(values, shape, _) = first.1, shape.count == 2, !names.contains(first.0) {
                guard shape[1] == names.count else { return nil }
                let rows = shape[0]
                return (names.indices.map { j in .numeric((0..<rows).map { Optional(values[$0 * shape[1] + j]) }) }, rows)
            }
            let given = Dictionary(decoded, uniquingKeysWith: { a, _ in a })
            guard let rows = given.values.first?.shape.first else { return nil }
            let columns: [DataTable.Column?] = names.map { name in
                switch given[name] {
                case let .numbers(values, _, _)?: return values.count == rows ? .numeric(values.map { Optional($0) }) : nil
                case let .strings(values, _)?: return values.count == rows ? .categorical(values.map { Optional($0) }) : nil
                case nil: return nil
                }
            }
            return (columns, rows)
        }
    }
}
