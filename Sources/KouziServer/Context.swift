import Hummingbird
import KouziPlatform
import Logging

/// The per-request context: Hummingbird's core storage plus the authenticated caller.
public struct KouziContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller, once the endpoint's authentication ran.
    public var principal: Principal?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        principal = nil
    }

    /// JSON request bodies are small; files stream through their own endpoints.
    public var maxUploadSize: Int { 4 * 1024 * 1024 }
}
