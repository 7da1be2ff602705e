import Foundation
import KouziInference

extension DeploymentService {
    /// Explains the rows of an Open Inference Protocol request to the deployment `name` (version: nil or a served one):
    /// the version that would answer the request (the same A/B variant for the same routing key) attributes its
    /// answer for each row to the row's columns, tokens or pixels, by the method the request's parameters name.
    ///
    /// The work runs off the async executor (a row costs thousands of forward passes) and is counted in
    /// `kouzi_explanations_total`; explanations do not enter monitoring's live statistics or the prediction log.
    public func explain(_ principal: Principal, name: String, version: Int64?, _ request: InferRequest,
                        routingKey: String? = nil) async throws -> ExplainResponse {
        var labels = [name, "", "failed"]
        do {
            let options = try ExplainOptions(parameters: request.parameters)
            labels[1] = options.method?.rawValue ?? "default"
            let deployment = try await resolve(principal, name: name)
            let (served, _) = try await answering(deployment, version: version, routingKey: routingKey)
            guard let network = served as? ServedModel else {
                throw PlatformError(.badRequest, code: "not_explainable",
                                    "'\(name)' serves a recommender, whose lists have no explanation method")
            }
            let inputs = request.inputs
            let (method, explanations) = try await runDetached { try network.explain(inputs, options: options) }
            labels[1] = method
            labels[2] = "ok"
            metrics.increment("kouzi_explanations_total", labels)
            return ExplainResponse(modelName: deployment.name, modelVersion: String(served.version), id: request.id, method: method,
                                   explanations: explanations)
        } catch {
            metrics.increment("kouzi_explanations_total", labels)
            throw PlatformError.wrap(error)
        }
    }
}

extension ServedModel {
    /// Explanations of protocol inputs by the model's codec.
    func explain(_ inputs: [InferTensor], options: ExplainOptions) throws -> (method: String, explanations: [RowExplanation]) {
        try codec.explain(inputs, model: loaded.model, options: options)
    }
}
