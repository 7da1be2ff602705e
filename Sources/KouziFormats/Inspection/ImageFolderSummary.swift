/// The profile of an image-classification dataset laid out as class folders:
/// `class/xxx.png` or `root/class/xxx.png` with one wrapping folder.
///
/// Images are recognised by their content (``ImageInfo/sniff(_:source:)``), not their extension; other
/// files are listed in ``rejected`` with the reason.
///
/// ```swift
/// let archive = try ZipArchive(path: upload)
/// let summary = try ImageFolderSummary.inspect(archive)
/// // summary.classes == [ClassCount(name: "cat", count: 120), ClassCount(name: "dog", count: 98)]
/// ```
public struct ImageFolderSummary: Sendable, Codable, Equatable {
    /// The classes, sorted by name, with their image counts.
    public var classes: [ClassCount]
    /// Images in an `unlabeled/` folder (see ``UnlabelledFolder``), counted in ``totalImages`` but in no class.
    public var unlabelled: Int
    /// The number of accepted images.
    public var totalImages: Int
    /// Image counts per format (`"png"`, `"jpeg"`, ...).
    public var formats: [String: Int]
    /// Image counts per channel count (`"1"`, `"3"`, ...).
    public var channels: [String: Int]
    /// The range of image widths.
    public var width: IntRange
    /// The range of image heights.
    public var height: IntRange
    /// The wrapping folder that was stripped, if any.
    public var rootFolder: String?
    /// Files that are not images in class folders.
    public var rejected: [RejectedFile]

    /// Profiles the files of an archive.
    ///
    /// - Throws: ``ZipError`` when an entry fails extraction, ``InspectionError/noUsableFiles(source:kind:rejected:)``
    ///   when no image is found.
    public static func inspect(_ archive: ZipArchive) throws -> ImageFolderSummary {
        try inspect(DatasetFile.entries(of: archive), source: archive.name)
    }

    /// Profiles a list of files.
    public static func inspect(_ files: [DatasetFile], source: String) throws -> ImageFolderSummary {
        let layout = ClassLayout(paths: files.map(\.components))
        var labels: [String] = []
        var infos: [ImageInfo] = []
        var rejected: [RejectedFile] = []
        for file in files {
            let bytes = try file.load()
            let info: ImageInfo
            do { info = try ImageInfo.sniff(bytes, source: file.path) } catch {
                let reason: String
                if case .unrecognized = error { reason = "not an image" } else { reason = error.description }
                rejected.append(RejectedFile(path: file.path, reason: reason))
                continue
            }
            switch layout.classFolder(of: file.components) {
            case let .success(label):
                labels.append(label)
                infos.append(info)
            case let .failure(problem):
                rejected.append(RejectedFile(path: file.path, reason: problem.text))
            }
        }
        guard let width = IntRange.of(infos.map(\.width)), let height = IntRange.of(infos.map(\.height)) else {
            throw InspectionError.noUsableFiles(source: source, kind: "image", rejected: rejected.count)
        }
        return ImageFolderSummary(classes: Tally.classes(labels.filter { !UnlabelledFolder.isName($0) }),
                                  unlabelled: labels.filter { UnlabelledFolder.isName($0) }.count, totalImages: infos.count,
                                  formats: Tally.counts(infos.map(\.format.rawValue)),
                                  channels: Tally.counts(infos.map { String($0.channels) }),
                                  width: width, height: height, rootFolder: layout.root, rejected: rejected)
    }
}
