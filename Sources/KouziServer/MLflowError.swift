import Foundation
import Hummingbird
import KouziPlatform

/// An error in MLflow's shape: an `error_code` MLflow clients branch on and a message.
struct MLflowError: Error {
    let status: HTTPResponse.Status
    let code: String
    let message: String

    /// The response body `{"error_code": …, "message": …}`.
    var response: Response {
        struct Body: Encodable { let error_code: String; let message: String }
        let data = (try? JSON.encoder.encode(Body(error_code: code, message: message))) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Translates any error the way Kouzi's API classifies it into MLflow's codes.
    init(_ error: any Error) {
        if let error = error as? MLflowError {
            self = error
            return
        }
        let (status, code, message) = ErrorMiddleware.classify(error)
        self.message = message
        switch status {
        case .notFound: (self.status, self.code) = (.notFound, "RESOURCE_DOES_NOT_EXIST")
        case .conflict where code.hasSuffix("_exists"): (self.status, self.code) = (.badRequest, "RESOURCE_ALREADY_EXISTS")
        case .conflict: (self.status, self.code) = (.conflict, "RESOURCE_CONFLICT")
        case .unauthorized: (self.status, self.code) = (.unauthorized, "UNAUTHENTICATED")
        case .forbidden: (self.status, self.code) = (.forbidden, "PERMISSION_DENIED")
        case .serviceUnavailable: (self.status, self.code) = (.serviceUnavailable, "TEMPORARILY_UNAVAILABLE")
        case .internalServerError: (self.status, self.code) = (.internalServerError, "INTERNAL_ERROR")
        case .contentTooLarge: (self.status, self.code) = (.contentTooLarge, "INVALID_PARAMETER_VALUE")
        default: (self.status, self.code) = (.badRequest, "INVALID_PARAMETER_VALUE")
        }
    }

    init(status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }
}

/// Answers errors of the MLflow routes in MLflow's shape (a 500 is still logged: it is a bug).
struct MLflowErrorMiddleware: RouterMiddleware {
    typealias Context = KouziContext

    func handle(_ request: Request, context: KouziContext, next: (Request, KouziContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let translated = MLflowError(error)
            if translated.status == .internalServerError {
                context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            }
            return translated.response
        }
    }
}
