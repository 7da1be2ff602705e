import Foundation
import KouziTestSupport

/// A fixture file: `{"cases": [...], ...}`.
private struct FixtureFile<Case: Decodable>: Decodable {
    let cases: [Case]
}

/// The `cases` of `Tests/KouziTensorTests/Fixtures/<name>.json` (written by `scripts/make_fixtures.py`), or
/// none when the file is missing or unreadable (each suite's `fixtureIsPresent` test then fails).
func fixtureCases<Case: Decodable>(_ name: String) -> [Case] {
    let path = repositoryRoot() + "/Tests/KouziTensorTests/Fixtures/\(name).json"
    guard let data = FileManager.default.contents(atPath: path),
          let file = try? JSONDecoder().decode(FixtureFile<Case>.self, from: data) else { return [] }
    return file.cases
}
