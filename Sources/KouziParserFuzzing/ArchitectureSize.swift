import KouziBase
import KouziNN

/// Whether a model architecture is small enough to build while fuzzing.
///
/// A well-formed architecture may declare layers of any size; building one allocates its weights and runs a
/// probe batch through it, so the fuzz target builds only architectures whose numbers, lists and shapes are
/// small. The check bounds work, not validity: everything it lets through goes to the real loader.
enum ArchitectureSize {
    /// The largest magnitude of any number in the architecture (units, kernel sizes, dimensions).
    static let maxNumber = 16.0
    /// The most items in any list (layers, nodes, shape dimensions).
    static let maxListLength = 16
    /// The largest product of a list of whole numbers (a shape's element count).
    static let maxShapeElements = 4096
    /// The largest element count of a layer's input or output for one sample.
    static let maxActivationElements = 1 << 16

    /// Whether every number, list and shape in `value` is within the bounds above.
    static func isSmall(_ value: JSONValue) -> Bool {
        switch value {
        case .null, .bool, .string: return true
        case let .number(number): return abs(number) <= maxNumber
        case let .object(members): return members.values.allSatisfy(isSmall)
        case let .array(items):
            guard items.count <= maxListLength, items.allSatisfy(isSmall) else { return false }
            let whole = items.compactMap(\.intValue)
            guard whole.count == items.count else { return true }
            return elements(whole.map { abs($0) }, bound: maxShapeElements) <= maxShapeElements
        }
    }

    /// Whether building `model` for `sampleShape` keeps every activation of a `Sequential` small (each layer's
    /// output shape is derived without computing anything); graphs were bounded by their JSON alone.
    static func isSmall(_ model: Model, sampleShape: [Int]) -> Bool {
        guard sampleShape.count <= maxListLength, sampleShape.allSatisfy({ $0 >= -1 && Double($0) <= maxNumber * maxNumber }),
              elements(sampleShape, bound: maxActivationElements) <= maxActivationElements else { return false }
        guard let sequential = model as? Sequential else { return true }
        var shape = [-1] + sampleShape
        for layer in sequential.layers {
            guard let next = try? layer.outputShape(for: shape), next.count <= maxListLength,
                  next.allSatisfy({ $0 >= -1 && $0 <= maxActivationElements }),
                  elements(next, bound: maxActivationElements) <= maxActivationElements else { return false }
            shape = next
        }
        return true
    }

    /// The element count of a shape with free (-1) dimensions counted as 1, saturating past the bound.
    private static func elements(_ shape: [Int], bound: Int) -> Int {
        var product = 1
        for dimension in shape {
            product *= max(dimension, 1)
            if product > bound { return bound + 1 }
        }
        return product
    }
}
