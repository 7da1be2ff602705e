import Foundation
import KouziData
import KouziMonitoring
import KouziNN
import KouziTensor
import KouziTraining

/// Everything needed to turn raw input into a model's features and its outputs back into answers.
///
/// `kouzi train` fits it on the training rows and stores it as JSON in the model's metadata under
/// ``metadataKey``; `evaluate` and `predict` read it back so new data goes through the very same steps.
package struct Preprocessing: Codable, Equatable, Sendable {
    /// The metadata key of the JSON in a `.kouzi` model.
    package static let metadataKey = "kouzi.preprocessing"
    /// The version written by this build.
    package static let currentVersion = 1

    /// The shape of one IDX image and how its pixels were scaled.
    package struct Images: Codable, Equatable, Sendable {
        /// Dimensions of one image in the file (`[28, 28]`).
        package var sampleShape: [Int]
        /// Whether integer pixels were mapped onto [0, 1].
        package var normalized: Bool
    }

    /// Format version.
    package var version = Preprocessing.currentVersion
    /// The transform of CSV feature columns, for models trained on a table.
    package var table: TableFeatures?
    /// The image layout, for models trained on IDX images.
    package var images: Images?
    /// The text column's tokens, for sequence models trained on a table of sentences.
    package var text: TextFeatures?
    /// The target's encoding.
    package var target: TargetEncoding
    /// The training inputs' distribution, for monitoring a deployment's live inputs (models trained before it
    /// existed have none).
    package var reference: ReferenceProfile?
    /// A sample of the training rows as the model reads them (after the table transform), the background that
    /// Shapley explanations average over; nil for models trained before it existed (their explanations use the
    /// training mean, which standardisation puts at zero) and for image and text models.
    package var background: [[Float]]?

    /// The JSON text stored in a model.
    package func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do { return String(decoding: try encoder.encode(self), as: UTF8.self) } catch {
            throw TrainingError.invalidData("the fitted preprocessing cannot be saved (\(error)); check the data for infinite values")
        }
    }

    /// The preprocessing saved in `model`, or nil when it has none (a model saved from Swift code).
    package static func saved(in model: Model, path: String) throws -> Preprocessing? {
        guard let text = model.metadata[metadataKey] else { return nil }
        let value: Preprocessing
        do { value = try JSONDecoder().decode(Preprocessing.self, from: Data(text.utf8)) } catch {
            throw TrainingError.invalidModel(path: path, reason: "metadata '\(metadataKey)' is not valid (\(error))")
        }
        guard value.version <= currentVersion else {
            throw TrainingError.invalidModel(path: path, reason: "its preprocessing has version \(value.version), "
                + "newer than this build reads (\(currentVersion))")
        }
        return value
    }

    /// A stand-in for models without saved preprocessing: features are used as they are.
    package static func passthrough(for model: Model) -> Preprocessing {
        let form = model.loss.map(TargetForm.init(loss:)) ?? (model.classLabels == nil ? .value : .classIDs)
        var target = TargetEncoding(form: form)
        target.classes = model.classLabels
        target.classCount = model.classLabels?.count
        if form.isClassification, let inputShape = model.inputShape,
           let shape = try? model.outputShape(for: [-1] + inputShape), shape.count == 2 {
            target.classCount = form == .binary ? 2 : shape[1]
        }
        return Preprocessing(target: target)
    }

    /// The model input for a table read from `source`.
    package func features(of table: DataTable, source: String, inputShape: [Int]?) throws -> Tensor {
        if let text { return try Self.fit(try text.transform(table, source: source), to: inputShape, source: source) }
        if let transform = self.table { return try transform.transform(table, source: source) }
        guard images == nil else {
            throw TrainingError.invalidData("\(source): the model was trained on IDX images; pass an IDX images file")
        }
        let ignored = Set([target.column].compactMap { $0 })
        let names = table.columnNames.filter { !ignored.contains($0) }
        let x = try table.toTensor(columns: names)
        return try Self.fit(x, to: inputShape, source: source)
    }

    /// The model input for images `x` (`[N, features]`, pixels already scaled) of `sampleShape` each.
    package func features(ofImages x: Tensor, sampleShape: [Int], source: String, inputShape: [Int]?) throws -> Tensor {
        if table != nil {
            throw TrainingError.invalidData("\(source): the model was trained on a CSV table; pass a CSV file")
        }
        if let expected = images?.sampleShape, expected != sampleShape {
            throw TrainingError.invalidData("\(source): images of shape \(sampleShape) do not match the \(expected) the model was trained on")
        }
        return try Self.fit(x, to: inputShape, source: source)
    }

    /// The model input for the IDX images file `file` (`[N, …]`).
    package func features(ofImages file: IDXFile, inputShape: [Int]?) throws -> Tensor {
        guard file.shape.count >= 2 else {
            throw TrainingError.invalidData("\(file.source): an IDX file of shape \(file.shape) holds no images (is it a labels file?)")
        }
        let sample = Array(file.shape.dropFirst())
        let x = file.floatTensor(normalized: images?.normalized ?? (file.dataType == .ubyte))
        return try features(ofImages: x.reshaped([file.shape[0], sample.reduce(1, *)]), sampleShape: sample,
                            source: file.source, inputShape: inputShape)
    }

    /// `x` reshaped to `[N] + inputShape` when the per-sample element counts agree.
    package static func fit(_ x: Tensor, to inputShape: [Int]?, source: String) throws -> Tensor {
        guard let inputShape, x.rank >= 1 else { return x }
        let sample = Array(x.shape.dropFirst())
        if sample == inputShape { return x }
        let have = sample.reduce(1, *), need = inputShape.reduce(1, *)
        guard have == need else {
            throw TrainingError.invalidData("\(source): each sample has \(have) feature\(have == 1 ? "" : "s") but the model takes \(need)")
        }
        return x.reshaped([x.shape[0]] + inputShape)
    }
}
