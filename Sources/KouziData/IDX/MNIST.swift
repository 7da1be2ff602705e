import KouziTensor

/// Loader for MNIST and datasets in the same layout (Fashion-MNIST, KMNIST).
///
/// Expects the standard file names in one directory: `train-images-idx3-ubyte.gz`,
/// `train-labels-idx1-ubyte.gz`, `t10k-images-idx3-ubyte.gz`, `t10k-labels-idx1-ubyte.gz` (the
/// uncompressed names without `.gz` work too).
///
/// ```swift
/// let dir = DatasetLocator.directory(named: "mnist")!
/// let (x, y) = try MNIST.load(directory: dir, split: .train)   // x [60000, 784] in [0, 1], y [60000] int64
/// ```
public enum MNIST {
    /// Which half of the dataset to load.
    public enum Split: String, Sendable, Codable, CaseIterable {
        /// The 60,000 training examples (`train-*` files).
        case train
        /// The 10,000 test examples (`t10k-*` files).
        case test

        /// The file name prefix of the split.
        public var filePrefix: String { self == .train ? "train" : "t10k" }
    }

    /// Loads images and labels of one split.
    ///
    /// - Parameters:
    ///   - directory: the folder holding the four IDX files.
    ///   - split: training or test examples.
    ///   - flatten: return images as `[N, H*W]` (the default) rather than `[N, H, W]`.
    /// - Returns: float32 images with pixels scaled to [0, 1], and int64 labels of shape `[N]`.
    /// - Throws: ``IDXError`` when a file is absent, malformed, or the image and label counts differ.
    public static func load(directory: String, split: Split, flatten: Bool = true) throws -> (images: Tensor, labels: Tensor) {
        let imagesPath = try locate(directory, "\(split.filePrefix)-images-idx3-ubyte")
        let labelsPath = try locate(directory, "\(split.filePrefix)-labels-idx1-ubyte")
        let imageFile = try IDXFile(contentsOf: imagesPath)
        let labelFile = try IDXFile(contentsOf: labelsPath)
        let imageCount = imageFile.shape.first ?? 0
        let labelCount = labelFile.shape.first ?? 0
        guard imageFile.shape.count >= 2, labelFile.shape.count == 1, imageCount == labelCount else {
            throw IDXError.countMismatch(images: imagesPath, imageCount: imageCount,
                                         labels: labelsPath, labelCount: labelFile.shape.count == 1 ? labelCount : -1)
        }
        let features = imageFile.shape.dropFirst().reduce(1, *)
        let shape = flatten ? [imageCount, features] : imageFile.shape
        let images = imageFile.floatTensor(normalized: imageFile.dataType == .ubyte, reshapedTo: shape)
        return (images, try labelFile.int64Tensor())
    }

    private static func locate(_ directory: String, _ stem: String) throws -> String {
        let candidates = [stem + ".gz", stem]
        for name in candidates {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            if FileBytes.exists(path) { return path }
        }
        throw IDXError.missingFile(directory: directory, candidates: candidates)
    }
}
