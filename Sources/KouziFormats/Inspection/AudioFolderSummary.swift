/// The profile of an audio-classification dataset of WAV files.
///
/// Classes come from class folders (`class/x.wav` or `root/class/x.wav`) or, when all files lie flat in
/// one folder (at any depth, such as `free-spoken-digit-dataset/recordings/`), from the file-name prefix
/// before the first `_`, as in the Free Spoken Digit Dataset (`7_jackson_32.wav` is class `7`). Only headers are parsed; samples are not decoded.
///
/// ```swift
/// let summary = try AudioFolderSummary.inspect(try ZipArchive(path: "fsdd.zip"))
/// print(summary.sampleRates, summary.duration?.mean ?? 0)     // ["8000": 3000] 0.437
/// ```
public struct AudioFolderSummary: Sendable, Codable, Equatable {
    /// How classes were assigned.
    public enum ClassSource: String, Sendable, Codable {
        /// From the folder holding each file.
        case folder
        /// From the file-name prefix before the first `_`.
        case fileNamePrefix
    }

    /// The classes, sorted by name, with their file counts.
    public var classes: [ClassCount]
    /// Files in an `unlabeled/` folder (see ``UnlabelledFolder``), counted in ``totalFiles`` but in no class.
    public var unlabelled: Int
    /// Where the class names come from.
    public var classSource: ClassSource
    /// The number of accepted files.
    public var totalFiles: Int
    /// File counts per sample rate (`"8000"`, `"16000"`, ...).
    public var sampleRates: [String: Int]
    /// File counts per channel count.
    public var channels: [String: Int]
    /// File counts per encoding and bit depth (`"pcm16"`, `"float32"`, ...).
    public var encodings: [String: Int]
    /// Duration statistics in seconds (min, mean, max, total).
    public var duration: ValueStatistics
    /// Total duration per class in seconds.
    public var durationPerClass: [String: Double]
    /// The wrapping folder that was stripped, if any.
    public var rootFolder: String?
    /// Files that are not valid WAV files in a usable place.
    public var rejected: [RejectedFile]

    /// Profiles the WAV files of an archive.
    ///
    /// - Throws: ``ZipError`` when an entry fails extraction, ``InspectionError/noUsableFiles(source:kind:rejected:)``
    ///   when no WAV file is usable.
    public static func inspect(_ archive: ZipArchive) throws -> AudioFolderSummary {
        try inspect(DatasetFile.entries(of: archive), source: archive.name)
    }

    /// Profiles a list of files.
    public static func inspect(_ files: [DatasetFile], source: String) throws -> AudioFolderSummary {
        let layout = ClassLayout(paths: files.map(\.components))
        let folders = Set(files.map { $0.components.dropLast().joined(separator: "/") })
        let flat = folders.count == 1
        var labels: [String] = []
        var infos: [WAVInfo] = []
        var rejected: [RejectedFile] = []
        for file in files {
            let bytes = try file.load()
            let info: WAVInfo
            do { info = try WAVInfo.parse(bytes, source: file.path) } catch {
                let reason: String
                if case .notWAV = error { reason = "not a WAV file" } else { reason = error.description }
                rejected.append(RejectedFile(path: file.path, reason: reason))
                continue
            }
            let label: String
            if flat {
                let name = file.components.last ?? file.path
                guard let underscore = name.firstIndex(of: "_"), underscore != name.startIndex else {
                    rejected.append(RejectedFile(path: file.path, reason: "flat file name without a 'class_' prefix"))
                    continue
                }
                label = String(name[..<underscore])
            } else {
                switch layout.classFolder(of: file.components) {
                case let .success(folder): label = folder
                case let .failure(problem):
                    rejected.append(RejectedFile(path: file.path, reason: problem.text))
                    continue
                }
            }
            labels.append(label)
            infos.append(info)
        }
        guard let duration = ValueStatistics.of(infos.map(\.duration)) else {
            throw InspectionError.noUsableFiles(source: source, kind: "WAV", rejected: rejected.count)
        }
        var perClass: [String: Double] = [:]
        for (label, info) in zip(labels, infos) where !UnlabelledFolder.isName(label) { perClass[label, default: 0] += info.duration }
        return AudioFolderSummary(classes: Tally.classes(labels.filter { !UnlabelledFolder.isName($0) }),
                                  unlabelled: labels.filter { UnlabelledFolder.isName($0) }.count,
                                  classSource: flat ? .fileNamePrefix : .folder,
                                  totalFiles: infos.count, sampleRates: Tally.counts(infos.map { String($0.sampleRate) }),
                                  channels: Tally.counts(infos.map { String($0.channels) }),
                                  encodings: Tally.counts(infos.map { $0.encoding.rawValue + String($0.bitsPerSample) }),
                                  duration: duration, durationPerClass: perClass,
                                  rootFolder: flat ? nil : layout.root, rejected: rejected)
    }
}
