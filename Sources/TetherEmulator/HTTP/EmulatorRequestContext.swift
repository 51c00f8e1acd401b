import Hummingbird
import NIOCore

/// The request context: Hummingbird's basic one plus the connection's
/// channel, which client-certificate authentication reads the peer's
/// certificate from.
struct EmulatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
