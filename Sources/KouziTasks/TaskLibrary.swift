import KouziInference
import KouziTraining

/// What one task offers the platform and the commands: the data kinds it reads, the templates it trains, how
/// custom specs train (when it trains them) and the codecs that serve its models.
///
/// A new task is a library of its own plus one entry in ``TaskCatalogue/standard``: nothing else names it.
public struct TaskLibrary: Sendable {
    /// The task's name, for people (`tables and images`, `recommendation`).
    public let name: String
    public let dataKinds: [DataKind]
    public let templates: [AlgorithmTemplate]
    public let specTraining: SpecTraining?
    public let codecs: [CodecFactory]

    public init(name: String, dataKinds: [DataKind] = [], templates: [AlgorithmTemplate] = [], specTraining: SpecTraining? = nil,
                codecs: [CodecFactory] = []) {
        self.name = name
        self.dataKinds = dataKinds
        self.templates = templates
        self.specTraining = specTraining
        self.codecs = codecs
    }
}

/// The catalogue of tasks this program knows: the only place that lists the task libraries.
public struct TaskCatalogue: Sendable {
    /// The libraries, in the order their templates are listed.
    public let libraries: [TaskLibrary]

    public init(_ libraries: [TaskLibrary]) { self.libraries = libraries }

    /// Every task Kouzi ships.
    public static let standard = TaskCatalogue([SupervisedTask.library, RecommendationTask.library])

    /// What the training service can train.
    public var training: TrainingCatalogue {
        TrainingCatalogue(templates: libraries.flatMap(\.templates), dataKinds: libraries.flatMap(\.dataKinds),
                          specTraining: libraries.lazy.compactMap(\.specTraining).first)
    }

    /// The codecs that serve the tasks' models.
    public var codecs: CodecRegistry { CodecRegistry(libraries.flatMap(\.codecs)) }

    /// The catalogue with `library` added (a program's own task).
    public func adding(_ library: TaskLibrary) -> TaskCatalogue { TaskCatalogue(libraries + [library]) }
}

/// Classification and regression of tables, images and a table's sentences.
enum SupervisedTask {
    static let library = TaskLibrary(
        name: "classification and regression", dataKinds: SupervisedTraining.dataKinds, templates: SupervisedTemplates.all,
        specTraining: SupervisedTraining.specTraining, codecs: [SupervisedCodec.factory])
}

/// Recommenders trained on interaction tables (served by the recommendation endpoints).
enum RecommendationTask {
    static let library = TaskLibrary(name: "recommendation", templates: RecommenderTemplates.all)
}
