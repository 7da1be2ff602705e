import Foundation
import KouziData
import KouziInference
import KouziTensor

extension SupervisedCodec {
    /// Predicts CSV rows with a header and answers CSV as `kouzi predict` writes it: the label and one probability
    /// column per class for a classifier, the predicted values otherwise.
    ///
    /// A table model reads the columns it was trained on (others are ignored); a text model its text column; an
    /// image model one row of pixel values per image (as stored in its IDX file, 0–255 for byte images: they are
    /// scaled as the training images were), under any header.
    func predictCSV(_ bytes: [UInt8], source: String, delimiter: Character, forward: ([Tensor]) throws -> [Tensor]) throws -> String {
        let reader = CSVReader(delimiter: delimiter, trimsWhitespace: true)
        let x: Tensor
        if let images = preprocessing.images {
            let table = try reader.read(bytes: bytes, source: source)
            let pixels = try table.toTensor(columns: table.columnNames)
            let scale: Float = images.normalized ? 1 / 255 : 1
            x = try preprocessing.features(ofImages: Tensor(shape: pixels.shape, scalars: pixels.scalars.map { $0 * scale }),
                                           sampleShape: images.sampleShape, source: source, inputShape: inputShape)
        } else {
            let table = try preprocessing.table?.read(bytes: bytes, source: source, reader: reader)
                ?? reader.read(bytes: bytes, source: source)
            x = try preprocessing.features(of: table, source: source, inputShape: inputShape)
        }
        guard x.rank >= 1, x.shape[0] > 0 else { throw InferenceError.invalidInput("\(source): there are no rows to predict") }
        let predictions = Predictions(outputs: try forward([x])[0], target: preprocessing.target, fromLogits: fromLogits)
        return predictions.csv(delimiter: delimiter)
    }
}
