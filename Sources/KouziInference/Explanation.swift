import KouziBase

/// What an explanation request asks, read from the parameters of an inference-shaped request body
/// (`POST /v2/models/{name}/explain` takes the same inputs as `…/infer`).
public struct ExplainOptions: Sendable, Equatable {
    /// The attribution methods.
    public enum Method: String, CaseIterable, Sendable {
        case kernelShap = "kernel_shap", exactShapley = "exact_shapley", integratedGradients = "integrated_gradients"
        case saliency, gradientTimesInput = "gradient_x_input", gradCam = "grad_cam"
    }

    /// The method (nil: the model kind's default — Kernel SHAP for tables and text, integrated gradients for images).
    public var method: Method?
    /// The class explained, by label (nil: each row's predicted class; ignored for a regression).
    public var target: String?
    /// Kernel SHAP's coalition budget (nil: its default).
    public var samples: Int?
    /// Integrated gradients' first number of intervals (nil: its default).
    public var steps: Int?

    /// The largest Kernel SHAP budget a request may ask.
    public static let samples = 1...20_000
    /// The range of integration steps a request may ask.
    public static let steps = 1...1024

    public init(method: Method? = nil, target: String? = nil, samples: Int? = nil, steps: Int? = nil) {
        self.method = method
        self.target = target
        self.samples = samples
        self.steps = steps
    }

    /// The options in a request's `parameters` (`method`, `target`, `samples`, `steps`; others are ignored).
    /// - Throws: ``InferenceError/invalidInput(_:)`` naming the parameter at fault.
    public init(parameters: [String: JSONValue]?) throws {
        let p = parameters ?? [:]
        if let value = p["method"], value != .null {
            guard let name = value.stringValue, let method = Method(rawValue: name) else {
                throw InferenceError.invalidInput("parameter 'method' must be one of \(Method.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.method = method
        }
        if let value = p["target"], value != .null {
            guard let label = value.stringValue else { throw InferenceError.invalidInput("parameter 'target' must be a class label (a string)") }
            target = label
        }
        samples = try Self.integer(p["samples"], name: "samples", in: Self.samples)
        steps = try Self.integer(p["steps"], name: "steps", in: Self.steps)
    }

    private static func integer(_ value: JSONValue?, name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value, value != .null else { return nil }
        guard case let .number(number) = value, number == number.rounded(), Double(range.lowerBound) <= number,
              number <= Double(range.upperBound) else {
            throw InferenceError.invalidInput("parameter '\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return Int(number)
    }
}

/// The explanation of one row: the output explained and what moved it. Numbers that are not finite are written as
/// null.
public struct RowExplanation: Codable, Sendable, Equatable {
    /// One table column's value and attribution.
    public struct Feature: Codable, Sendable, Equatable {
        public var name: String
        /// The row's value (a number or a category).
        public var value: JSONValue
        public var attribution: Double

        public init(name: String, value: JSONValue, attribution: Double) {
            self.name = name
            self.value = value
            self.attribution = attribution
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(value, forKey: .value)
            try c.encode(JSONValue.finite(attribution), forKey: .attribution)
        }
    }

    /// One token's attribution.
    public struct Token: Codable, Sendable, Equatable {
        public var token: String
        public var attribution: Double

        public init(token: String, attribution: Double) {
            self.token = token
            self.attribution = attribution
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(token, forKey: .token)
            try c.encode(JSONValue.finite(attribution), forKey: .attribution)
        }
    }

    /// A map over an image's pixels, row-major.
    public struct Heatmap: Codable, Sendable, Equatable {
        /// `[height, width]`.
        public var shape: [Int]
        public var data: [Double]

        public init(shape: [Int], data: [Double]) {
            self.shape = shape
            self.data = data
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(shape, forKey: .shape)
            try c.encode(data.map(JSONValue.finite), forKey: .data)
        }
    }

    /// The class explained (a classifier's label), nil for a regression.
    public var target: String?
    /// The explained output for the row (the class's probability, or the predicted value).
    public var prediction: Double
    /// The output the attributions start from: the expected output over the background (Shapley methods) or the
    /// baseline's output (integrated gradients); nil for methods without one.
    public var baseValue: Double?
    /// Table models: one entry per column.
    public var features: [Feature]?
    /// Text models: one entry per token of the sentence.
    public var tokens: [Token]?
    /// Image models: one value per pixel.
    public var heatmap: Heatmap?
    /// Shapley methods: whether every coalition was evaluated.
    public var exact: Bool?
    /// |Σ attributions − (prediction − base value)|: zero up to rounding for Shapley values, the quadrature error for
    /// integrated gradients.
    public var completenessGap: Double?

    public init(target: String?, prediction: Double, baseValue: Double? = nil, features: [Feature]? = nil, tokens: [Token]? = nil,
                heatmap: Heatmap? = nil, exact: Bool? = nil, completenessGap: Double? = nil) {
        self.target = target
        self.prediction = prediction
        self.baseValue = baseValue
        self.features = features
        self.tokens = tokens
        self.heatmap = heatmap
        self.exact = exact
        self.completenessGap = completenessGap
    }

    enum CodingKeys: String, CodingKey {
        case target, prediction, baseValue = "base_value", features, tokens, heatmap, exact, completenessGap = "completeness_gap"
    }

    /// Numbers that are not finite (a model that overflows on an extreme input) are written as null.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(target, forKey: .target)
        try c.encode(JSONValue.finite(prediction), forKey: .prediction)
        try c.encodeIfPresent(baseValue.map(JSONValue.finite), forKey: .baseValue)
        try c.encodeIfPresent(features, forKey: .features)
        try c.encodeIfPresent(tokens, forKey: .tokens)
        try c.encodeIfPresent(heatmap, forKey: .heatmap)
        try c.encodeIfPresent(exact, forKey: .exact)
        try c.encodeIfPresent(completenessGap.map(JSONValue.finite), forKey: .completenessGap)
    }
}

/// The answer to an explanation request.
public struct ExplainResponse: Codable, Sendable, Equatable {
    public var modelName: String
    public var modelVersion: String?
    public var id: String?
    /// The method used.
    public var method: String
    /// One explanation per row, in the request's order.
    public var explanations: [RowExplanation]

    public init(modelName: String, modelVersion: String?, id: String?, method: String, explanations: [RowExplanation]) {
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.id = id
        self.method = method
        self.explanations = explanations
    }

    enum CodingKeys: String, CodingKey {
        case modelName = "model_name", modelVersion = "model_version", id, method, explanations
    }
}
