import KouziData
import KouziMonitoring
import KouziNN
import KouziTensor
import KouziTraining

/// Model-ready training (and validation) data with the preprocessing fitted on the training part.
///
/// The validation part is a seeded random split, stratified by class for classification, taken before
/// any statistic is learned, so the scaler and imputer never see validation rows.
package struct TrainingSet {
    /// Features and targets of one part.
    package struct Part {
        /// The model input.
        package var x: Tensor
        /// Targets in the original units (what ``Evaluation`` compares against).
        package var y: Tensor
        /// Number of examples.
        package var count: Int { x.shape[0] }
    }

    /// The fitted preprocessing.
    package var preprocessing: Preprocessing
    /// The training part.
    package var train: Part
    /// The validation part, when a split was asked for.
    package var validation: Part?

    /// Splits and transforms `raw`, then builds the model from `spec` for the resulting input shape and
    /// checks its output against the target.
    ///
    /// With `text`, a table's features are the token ids of one text column instead of its encoded columns.
    package static func prepare(_ raw: RawData, spec: ModelSpec, target: String?, validationSplit: Double, seed: UInt64,
                                scaleTarget: Bool, text: TextOptions? = nil) throws -> (set: TrainingSet, model: Model) {
        let form = TargetForm(loss: try Loss(named: spec.loss.name, options: spec.loss.options))
        var encoding: TargetEncoding
        var preprocessing: Preprocessing
        var parts: [(x: Tensor, rows: [Int])] = []
        var targetColumn: DataTable.Column?
        var labels: [Int] = []
        let source: String
        switch raw {
        case let .table(table, path):
            source = path
            guard let target else {
                throw TrainingError.invalidData("--target is required for CSV data (columns: \(table.columnNames.joined(separator: ", ")))")
            }
            guard table.rowCount > 0 else { throw TrainingError.invalidData("\(path): the data has no rows") }
            guard let column = table[target] else {
                throw TrainingError.invalidData("\(path): there is no column '\(target)' to use as --target "
                    + "(columns: \(table.columnNames.joined(separator: ", ")))")
            }
            encoding = try TargetEncoding.fit(column, column: target, form: form)
            let strata = form.isClassification
                ? try LabelEncoder(classes: encoding.classes ?? []).transform(column, name: target).intScalars : nil
            let features = try table.dropping([target])
            guard features.columnCount > 0 else {
                throw TrainingError.invalidData("\(path): there are no feature columns besides the target '\(target)'")
            }
            let indices = try splitIndices(count: table.rowCount, validationSplit: validationSplit, seed: seed,
                                           strata: strata, source: path)
            let trainingRows = try features.rows(indices[0])
            if let text {
                let column = try text.column ?? TextFeatures.defaultColumn(of: table, target: target)
                let (fitted, xTrain) = try TextFeatures.fit(trainingRows, column: column,
                                                            vocabularySize: text.vocabularySize, length: text.length)
                parts.append((xTrain, indices[0]))
                if indices.count > 1 { parts.append((try fitted.transform(try features.rows(indices[1]), source: path), indices[1])) }
                preprocessing = Preprocessing(text: fitted, target: encoding)
                preprocessing.reference = ReferenceProfile(text: trainingRows[column]?.textValues ?? [])
            } else {
                let (fitted, xTrain) = try TableFeatures.fit(trainingRows)
                parts.append((xTrain, indices[0]))
                if indices.count > 1 { parts.append((try fitted.transform(try features.rows(indices[1]), source: path), indices[1])) }
                preprocessing = Preprocessing(table: fitted, target: encoding)
                preprocessing.reference = try ReferenceProfile(table: trainingRows)
                preprocessing.background = Self.background(of: xTrain)
            }
            targetColumn = column
        case let .images(set):
            source = set.source
            encoding = try TargetEncoding.fit(labels: set.labels, form: form, classNames: set.classNames)
            let indices = try splitIndices(count: set.labels.count, validationSplit: validationSplit, seed: seed,
                                           strata: form.isClassification ? set.labels : nil, source: set.source)
            for part in indices { parts.append((indices.count == 1 ? set.x : set.x.rows(part), part)) }
            preprocessing = Preprocessing(images: .init(sampleShape: set.sampleShape, normalized: set.normalized), target: encoding)
            preprocessing.reference = ReferenceProfile(images: parts[0].x, sampleShape: set.sampleShape)
            labels = set.labels
        }
        let sampleShape = Array(parts[0].x.shape.dropFirst())
        var inputShape = sampleShape
        if let declared = spec.inputShape, declared.reduce(1, *) == sampleShape.reduce(1, *) { inputShape = declared }
        let model = try spec.makeModel(inputShape: inputShape)
        // A graph declares its input's shape itself (an image [28, 28, 1] for rows of 784 pixels).
        if let declared = model.inputShape { inputShape = declared }
        try encoding.match(outputShape: try model.outputShape(for: [-1] + inputShape))
        let all = try targetColumn.map { try encoding.encode($0) } ?? encoding.encode(ids: labels)
        var built = try parts.map { part in
            Part(x: try Preprocessing.fit(part.x, to: inputShape, source: source), y: parts.count == 1 ? all : all.rows(part.rows))
        }
        if form == .value && scaleTarget { encoding.fitScale(built[0].y) }
        preprocessing.target = encoding
        model.classLabels = encoding.classes
        return (TrainingSet(preprocessing: preprocessing, train: built.removeFirst(), validation: built.first), model)
    }

    /// How a table's text column becomes token ids.
    package struct TextOptions: Sendable {
        /// The column (nil: the only text column besides the target).
        package var column: String?
        /// The most vocabulary entries, the padding and unknown ids included.
        package var vocabularySize: Int
        /// Tokens per example.
        package var length: Int

        package init(column: String?, vocabularySize: Int, length: Int) {
            self.column = column
            self.vocabularySize = vocabularySize
            self.length = length
        }
    }

    /// The most training rows kept as the explanations' background.
    package static let backgroundRows = 100

    /// Up to ``backgroundRows`` rows of `x`, evenly spaced (the rows are in the data's order, not shuffled, so the
    /// spacing spreads the sample over the whole file).
    static func background(of x: Tensor) -> [[Float]] {
        let rows = x.shape[0], width = rows == 0 ? 0 : x.count / rows
        let values = x.scalars
        let picked = rows <= backgroundRows ? Array(0..<rows) : (0..<backgroundRows).map { $0 * rows / backgroundRows }
        return picked.map { Array(values[($0 * width)..<(($0 + 1) * width)]) }
    }

    /// Targets of `part` in the units the model trains on.
    package func trainingTargets(_ part: Part) -> Tensor { preprocessing.target.scaled(part.y) }

    /// Row indices of the training part and, when `validationSplit` > 0, the validation part.
    private static func splitIndices(count: Int, validationSplit: Double, seed: UInt64, strata: [Int]?, source: String) throws -> [[Int]] {
        guard count > 0 else { throw TrainingError.invalidData("\(source): the data has no examples") }
        guard validationSplit > 0 else { return [Array(0..<count)] }
        let held = Int((Double(count) * validationSplit).rounded())
        guard held >= 1 && held < count else {
            throw TrainingError.invalidData("--validation-split \(validationSplit) of \(count) examples leaves no training "
                + "or no validation examples")
        }
        return try DataSplit.indices(count: count, fractions: [1 - validationSplit, validationSplit], seed: seed, stratifyBy: strata)
    }
}
