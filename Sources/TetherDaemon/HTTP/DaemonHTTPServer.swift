import Foundation
package import Hummingbird
package import Logging
import NIOCore
package import ServiceLifecycle
package import Prometheus
import TetherModel

/// The daemon's HTTP surface on `--listen`:
///
/// | path | answer |
/// |---|---|
/// | `GET /healthz` | 200 while the process serves requests (liveness) |
/// | `GET /readyz` | 200 when a sync has succeeded within the staleness window (or on a standby replica), else 503 with the reason |
/// | `GET /metrics` | Prometheus text format |
/// | `GET /status` | JSON: revision, last result, per-object state |
/// | `POST /hooks/github`, `/hooks/gitlab`, `/hooks/generic` | webhooks (see `WebhookReceiver`); 404 when no secret is configured, 503 on a standby replica |
package struct DaemonHTTPServer: Sendable {
    package let status: DaemonStatus
    package let registry: PrometheusCollectorRegistry
    package let receiver: WebhookReceiver?
    /// Serves `/`, `/targets/…` and `/api/v1/…` (docs/dashboard.md); nil for none.
    package var dashboard: Dashboard?
    private let logger: Logger

    /// - Parameters:
    ///   - status: read by `/readyz` and `/status`.
    ///   - registry: exported by `/metrics`.
    ///   - receiver: handles `/hooks/*`; `nil` disables webhooks (404).
    ///   - logger: `debug` per request.
    package init(status: DaemonStatus, registry: PrometheusCollectorRegistry, receiver: WebhookReceiver?, logger: Logger) {
        self.status = status
        self.registry = registry
        self.receiver = receiver
        self.logger = logger
    }

    /// The routes.
    package func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("healthz") { _, _ in Self.text("ok\n") }
        router.get("readyz") { [status] _, _ in
            if let reason = await status.unready() { return Self.text("not ready: \(reason)\n", status: .serviceUnavailable) }
            return Self.text(await status.leading == false ? "ok (standby)\n" : "ok\n")
        }
        router.get("metrics") { [registry] _, _ in
            Response(status: .ok, headers: [.contentType: PrometheusExposition.contentType],
                     body: .init(byteBuffer: ByteBuffer(string: PrometheusExposition.render(registry))))
        }
        router.get("status") { [status] _, _ in
            let text = (try? JSONEncoding(pretty: true).string(await status.document())) ?? "{}"
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
        }
        router.post("hooks/:provider") { [receiver] request, context in
            guard let provider = context.parameters.get("provider").flatMap(WebhookProvider.init(rawValue:)) else {
                return Self.text("unknown webhook provider; use /hooks/github, /hooks/gitlab or /hooks/generic\n", status: .notFound)
            }
            guard let receiver else {
                return Self.text("webhooks are disabled: start tether run with --webhook-secret-file\n", status: .notFound)
            }
            if await status.leading == false {
                // A standby does not sync; saying so lets the sender show a failed delivery
                // instead of silently dropping it. The leader's poll picks the commit up.
                return Self.text("standby replica: the leader syncs; this delivery was not acted on\n",
                                 status: .serviceUnavailable)
            }
            return await Self.webhook(request, provider: provider, receiver: receiver)
        }
        dashboard?.addRoutes(to: router)
        return router
    }

    /// The server as a `Service` for a `ServiceGroup`.
    /// - Parameters:
    ///   - listen: where to listen.
    ///   - onListening: called with the bound `host:port` once the socket listens.
    package func application(listen: ListenAddress, onListening: @escaping @Sendable (String) async -> Void = { _ in })
        -> some Service
    {
        let host = listen.host
        return Application(
            router: router(),
            configuration: ApplicationConfiguration(address: .hostname(listen.host, port: listen.port), serverName: "tether"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? listen.port
                await onListening(host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")
            },
            logger: logger)
    }

    private static func webhook(_ request: Request, provider: WebhookProvider, receiver: WebhookReceiver) async -> Response {
        if let limited = await receiver.admitRate(provider: provider) { return response(limited) }
        let limit = receiver.configuration.maxBodyBytes
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            return response(await receiver.tooLarge(provider: provider))
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            // A chunked body (no Content-Length) passed the limit while being read.
            return response(await receiver.tooLarge(provider: provider))
        } catch {
            return text("cannot read the request body\n", status: .badRequest)
        }
        let headers = request.headers.map { ($0.name.canonicalName, $0.value) }
        let answer = await receiver.receive(WebhookRequest(headers: headers, body: Array(buffer: body)), provider: provider)
        return response(answer)
    }

    private static func response(_ answer: WebhookReceiver.Response) -> Response {
        var response = text(answer.message + "\n", status: HTTPResponse.Status(code: answer.status))
        if let seconds = answer.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
        return response
    }

    private static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
