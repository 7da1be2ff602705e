import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTPTypes

/// How long a connection may sit without progress, and how one ends after a response that closes it.
///
/// The idle timeout bounds every wait on the client: a keep-alive connection with no request, request headers that
/// have not all arrived (they count as no progress until the last one is in), and a request body with no bytes
/// for that long. A request being answered is never cut.
public struct ConnectionLimits: Sendable {
    /// Seconds a connection may go without progress before it is closed.
    public var idleTimeout: Double

    /// Limits with an idle timeout of `idleTimeout` seconds.
    public init(idleTimeout: Double = 60) {
        self.idleTimeout = idleTimeout
    }

    /// The HTTP/1.1 server with these limits.
    var server: HTTPServerBuilder {
        .http1(configuration: .init(additionalChannelHandlers: [CloseAfterResponseHandler()],
                                    idleTimeout: .nanoseconds(Int64(idleTimeout * 1e9))))
    }
}

/// Ends the connection once a response is written when the request or the response says `Connection: close`,
/// without waiting for the client to close first or reading the rest of a body that was refused (an early 413):
/// the answer is followed by the end of the stream from this side at once, what the client still sends is
/// discarded, and the connection closes when the client has read the answer and closed, or 2 seconds later.
/// (Closing at once while the client still sends would reset the connection and could lose the answer.)
final class CloseAfterResponseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// How long a closing connection waits for the client to close.
    static let linger = TimeAmount.seconds(2)
    private var requestAsksToClose = false
    private var responseAsksToClose = false
    private var lingering = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !lingering else { return }
        if case let .head(head) = unwrapInboundIn(data) {
            requestAsksToClose = Self.saysClose(head.headerFields)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case let .head(head):
            responseAsksToClose = Self.saysClose(head.headerFields)
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            guard requestAsksToClose || responseAsksToClose else { return context.write(data, promise: promise) }
            context.writeAndFlush(data, promise: promise)
            lingering = true
            context.close(mode: .output, promise: nil)
            let channel = context.channel
            channel.eventLoop.scheduleTask(in: Self.linger) { channel.close(promise: nil) }
        }
    }

    static func saysClose(_ fields: HTTPFields) -> Bool {
        fields[values: .connection].contains { value in
            value.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "close" }
        }
    }
}
