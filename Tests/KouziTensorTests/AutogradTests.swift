import KouziTensor
import Testing

@Suite("Autograd")
struct AutogradTests {
    @Test func gradientsAccumulateAcrossBackwardCalls() {
        var x = Tensor([1, 2, 3])
        x.requiresGrad = true
        (x * x).sum().backward()
        #expect(x.grad!.scalars == [2, 4, 6])
        (x * 3).sum().backward()
        #expect(x.grad!.scalars == [5, 7, 9])
        x.zeroGrad()
        #expect(x.grad == nil)
    }

    @Test func sharedInputsSumTheirPaths() {
        var x = Tensor([2])
        x.requiresGrad = true
        let y = x * x + x * 3 // dy/dx = 2x + 3 = 7
        y.backward()
        #expect(x.grad!.scalars == [7])
    }

    @Test func noGradScopeRecordsNothing() {
        var x = Tensor([1, 2])
        x.requiresGrad = true
        let y = withoutGrad { x * 2 }
        #expect(!y.requiresGrad)
        #expect(!GradMode.isEnabled == false)
        let z = x * 2
        #expect(z.requiresGrad && !z.isLeaf)
    }

    @Test func detachCutsTheGraph() {
        var x = Tensor([3])
        x.requiresGrad = true
        let y = x.detached() * x // gradient only through the second factor
        y.backward()
        #expect(x.grad!.scalars == [3])
    }

    @Test func explicitSeedGradient() {
        var x = Tensor([1, 2])
        x.requiresGrad = true
        (x * 2).backward(Tensor([10, 100]))
        #expect(x.grad!.scalars == [20, 200])
    }

    @Test func handWrittenTrainingLoopConverges() {
        // Fit y = 3x - 1 by gradient descent with the tape directly.
        let x = Tensor.randomUniform([64, 1], low: -1, high: 1, seed: 5)
        let y = x * 3 - 1
        var w = Tensor.zeros([1, 1]), b = Tensor.zeros([1])
        w.requiresGrad = true; b.requiresGrad = true
        for _ in 0..<300 {
            let loss = (x.matmul(w) + b - y).square().mean()
            w.zeroGrad(); b.zeroGrad()
            loss.backward()
            let gw = w.grad!.item, gb = b.grad!.item
            w.withUnsafeMutableFloats { $0[0] -= 0.1 * gw }
            b.withUnsafeMutableFloats { $0[0] -= 0.1 * gb }
        }
        #expect(Swift.abs(w.item - 3) < 1e-3)
        #expect(Swift.abs(b.item + 1) < 1e-3)
    }
}
