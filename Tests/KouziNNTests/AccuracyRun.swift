import KouziData

/// The folder of a shared data set for an accuracy run, or nil (after printing why) when the run must
/// skip: in a debug build, where numeric code is 10–50× slower, or where the data set is absent.
func accuracyDataset(_ name: String) -> String? {
    #if DEBUG
    print("skipped: accuracy runs need a release build (swift test -c release)")
    return nil
    #else
    guard let dir = DatasetLocator.directory(named: name) else {
        print(DatasetLocator.skipMessage(for: name))
        return nil
    }
    return dir
    #endif
}
