import Foundation
import Testing

extension Tag {
    /// Long runs that train on a real data set and check the accuracy reached (minutes each, release builds).
    @Tag public static var accuracy: Tag
}

extension Trait where Self == ConditionTrait {
    /// Marks a long accuracy run: `KOUZI_SKIP_ACCURACY=1` skips it (`.ci/run` never sets it). Use it with
    /// `.tags(.accuracy)`.
    public static var accuracyRun: Self {
        .disabled(if: ProcessInfo.processInfo.environment["KOUZI_SKIP_ACCURACY"] == "1",
                  "an accuracy run, skipped with KOUZI_SKIP_ACCURACY=1")
    }
}
