import KouziTensor
import KouziTestSupport
import Testing

/// One NumPy reference case from `Tests/KouziTensorTests/Fixtures/resize_bilinear.json`
/// (written by `python3 scripts/make_fixtures.py resize`).
struct ResizeCase: Decodable, Sendable, CustomTestStringConvertible {
    struct Values: Decodable, Sendable {
        let shape: [Int]
        let data: [Float]
        var tensor: Tensor { Tensor(shape: shape, scalars: data) }
    }
    let name: String
    let height: Int
    let width: Int
    let align_corners: Bool
    let tensors: [String: Values]

    var testDescription: String { name }

    static let all: [ResizeCase] = fixtureCases("resize_bilinear")
}

@Suite("Bilinear resize")
struct ResizeBilinearTests {
    @Test func fixtureIsPresent() {
        #expect(ResizeCase.all.count == 16, "run python3 scripts/make_fixtures.py resize")
    }

    @Test(arguments: ResizeCase.all)
    func matchesTheReference(_ c: ResizeCase) throws {
        var input = try #require(c.tensors["input"]).tensor
        input.requiresGrad = true
        let output = input.resizedBilinear(height: c.height, width: c.width, alignCorners: c.align_corners)
        compare(output, try #require(c.tensors["output"]).tensor, "\(c.name) output", rtol: 1e-5, atol: 1e-5)
        output.backward(try #require(c.tensors["grad_output"]).tensor)
        compare(input.grad!, try #require(c.tensors["grad_input"]).tensor, "\(c.name) input gradient", rtol: 1e-5, atol: 1e-5)
    }

    /// Hand-computed: 2×2 → 4×4 samples at source rows/columns (−0.25→0, 0.25, 0.75, 1.25→1).
    @Test func halfPixelCentres() {
        let x = Tensor(shape: [1, 2, 2, 1], scalars: [0, 1, 2, 3])
        #expect(x.resizedBilinear(height: 4, width: 4).scalars == [0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5,
                                                                    1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3])
        #expect(x.resizedBilinear(height: 1, width: 1).scalars == [1.5])
    }

    @Test func alignedCorners() {
        let x = Tensor(shape: [1, 2, 2, 1], scalars: [0, 1, 2, 3])
        #expect(x.resizedBilinear(height: 3, width: 3, alignCorners: true).scalars == [0, 0.5, 1, 1, 1.5, 2, 2, 2.5, 3])
        #expect(x.resizedBilinear(height: 1, width: 1, alignCorners: true).scalars == [0])
    }

    @Test func sameSizeIsTheIdentityAndChannelsStayApart() {
        let x = rand([2, 3, 4, 5], 1)
        #expect(x.resizedBilinear(height: 3, width: 4).scalars == x.scalars)
        #expect(x.resizedBilinear(height: 3, width: 4, alignCorners: true).scalars == x.scalars)
        let channels = Tensor.concatenate([Tensor.zeros([1, 2, 2, 1]), Tensor.ones([1, 2, 2, 1])], axis: 3)
        #expect(channels.resizedBilinear(height: 3, width: 5).scalars == Array(repeating: [0, 1], count: 15).flatMap { $0 })
    }

    @Test func gradients() {
        checkGradients([rand([2, 3, 4, 2], 1)]) { $0[0].resizedBilinear(height: 5, width: 3) }
        checkGradients([rand([1, 4, 3, 1], 2)]) { $0[0].resizedBilinear(height: 2, width: 7, alignCorners: true) }
        checkGradients([rand([1, 1, 3, 2], 3)]) { $0[0].resizedBilinear(height: 3, width: 1) }
    }
}

@Suite("Bilinear resize validation")
struct ResizeBilinearValidationTests {
    @Test func rejectsWhatCannotBeResized() throws {
        try Tensor.zeros([1, 2, 3, 1]).validateResizedBilinear(height: 4, width: 4)
        #expect(throws: TensorError.self) { try Tensor.zeros([1, 0, 3, 1]).validateResizedBilinear(height: 2, width: 2) }
        #expect(throws: TensorError.self) { try Tensor.zeros([2, 3, 1]).validateResizedBilinear(height: 2, width: 2) }
        #expect(throws: TensorError.self) { try Tensor.zeros([1, 2, 2, 1]).validateResizedBilinear(height: 0, width: 2) }
        #expect(throws: TensorError.dtypeMismatch(operation: "resizedBilinear", expected: .float32, got: .int64)) {
            try Tensor(shape: [1, 1, 1, 1], values: [Int64(1)]).validateResizedBilinear(height: 2, width: 2)
        }
    }
}
