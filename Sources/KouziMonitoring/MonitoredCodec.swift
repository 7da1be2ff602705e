import KouziData
import KouziInference

/// A codec whose live inputs can be watched for drift: it carries the training inputs' reference profile and reads
/// a request's monitored features (a table's columns, a sentence's length and words, an image's pixel statistics)
/// in the order of that profile.
package protocol MonitoredCodec: ServingCodec {
    /// The training inputs' distribution, nil for a model trained before profiles were kept.
    var reference: ReferenceProfile? { get }
    /// One column per reference feature (nil where the request lacks it) and the row count; nil when the inputs
    /// cannot be read (the request was refused then anyway).
    func monitoredFeatures(_ inputs: [InferTensor]) -> (columns: [DataTable.Column?], rows: Int)?
}
