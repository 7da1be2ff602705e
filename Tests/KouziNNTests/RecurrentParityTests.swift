import KouziNN
import KouziTensor
import KouziTestSupport
import Testing

/// The recurrent layers against PyTorch (Tests/KouziNNTests/Fixtures/recurrent.json, written by
/// scripts/fixtures/recurrent.py): outputs, input gradients and parameter gradients within 1e-4.
@Suite("Recurrent layers match PyTorch")
struct RecurrentParityTests {
    static let file = try? LayerFixtureFile.load("recurrent")
    static let names = (file?.cases ?? []).map(\.name)

    @Test func fixtureFileLoads() throws {
        let file = try LayerFixtureFile.load("recurrent")
        #expect(file.cases.count >= 20)
    }

    @Test(arguments: names)
    func matchesPyTorch(_ name: String) throws {
        let c = try #require(Self.file?.cases.first { $0.name == name })
        let mask = c.tensor("extra.mask")
        var state: [Tensor]? = nil
        if let h0 = c.tensor("extra.h0") { state = [h0] + (c.tensor("extra.c0").map { [$0] } ?? []) }
        try checkLayerFixture(c, forward: { layer, x in
            if let r = layer as? any RecurrentLayer { return try r(x, initialState: state, mask: mask).output }
            return try layer.forward(x, mask: mask).output
        })
    }
}
