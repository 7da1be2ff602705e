import Foundation
import KouziNN
import KouziTestSupport
import Testing

@Suite("Example model specs")
struct ExampleSpecTests {
    /// Every spec under examples/specs parses, builds and reports a summary.
    @Test func everyExampleSpecBuilds() throws {
        let dir = repositoryRoot() + "/examples/specs"
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }.sorted()
        #expect(files.count >= 5)
        for file in files {
            do {
                let spec = try ModelSpec(contentsOf: dir + "/" + file)
                let model = try spec.makeModel()
                _ = try model.summary()
                if spec.inputShape != nil { #expect(model.parameterCount > 0, "\(file) has no parameters") }
            } catch {
                Issue.record("\(file): \(error)")
            }
        }
    }
}
