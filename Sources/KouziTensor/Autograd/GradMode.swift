/// Controls whether operations record the autograd graph.
public enum GradMode {
    @TaskLocal static var enabled: Bool = true

    /// Whether operations currently record gradients.
    public static var isEnabled: Bool { enabled }
}

/// Runs `body` without recording the autograd graph (inference, optimiser updates).
///
/// ```swift
/// let predictions = withoutGrad { model.predict(x) }
/// ```
public func withoutGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$enabled.withValue(false, operation: body)
}

/// Runs `body` with gradient recording switched on or off.
public func withGrad<R>(_ enabled: Bool, _ body: () throws -> R) rethrows -> R {
    try GradMode.$enabled.withValue(enabled, operation: body)
}
