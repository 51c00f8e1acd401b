import Foundation
package import Hummingbird
import NIOCore
import ServiceLifecycle
import TetherModel

/// The dashboard's routes on the daemon's `--listen` address: pages (`/`, `/targets/NAME`,
/// `/targets/NAME/diff/ID`), the JSON API under `/api/v1`, the server-sent events
/// stream `/api/v1/events`, the actions, and the stylesheet and script.
extension Dashboard {
    package func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in Self.html(self.overviewPage()) }
        router.get("dashboard/dashboard.css") { _, _ in Self.body(DashboardAssets.css, type: "text/css; charset=utf-8") }
        router.get("dashboard/dashboard.js") { _, _ in Self.body(DashboardAssets.javascript, type: "text/javascript; charset=utf-8") }
        router.get("targets/:name") { _, context in
            guard self.named(context) else { return self.unknownTarget() }
            return Self.html(self.targetPage())
        }
        router.get("targets/:name/diff/**") { request, context in
            guard self.named(context) else { return self.unknownTarget() }
            guard let id = self.objectID(context), let page = self.diffPage(id, sync: Self.syncNumber(request)) else {
                return Self.body("no diff is known for this object\n", type: "text/plain; charset=utf-8", status: .notFound)
            }
            return Self.html(page)
        }
        router.get("api/v1/targets") { _, _ in Self.json(self.targetsDocument()) }
        router.get("api/v1/targets/:name") { _, context in
            self.named(context) ? Self.json(self.summaryDocument()) : self.unknownTarget()
        }
        router.get("api/v1/targets/:name/resources") { _, context in
            self.named(context) ? Self.json(self.resourcesDocument()) : self.unknownTarget()
        }
        router.get("api/v1/targets/:name/history") { _, context in
            self.named(context) ? Self.json(self.historyDocument()) : self.unknownTarget()
        }
        router.get("api/v1/targets/:name/drift") { _, context in
            self.named(context) ? Self.json(self.driftDocument()) : self.unknownTarget()
        }
        router.get("api/v1/targets/:name/diff/**") { request, context in
            guard self.named(context) else { return self.unknownTarget() }
            guard let id = self.objectID(context), let document = self.diffDocument(id, sync: Self.syncNumber(request)) else {
                return Self.json(["error": "no diff is known for this object"], status: .notFound)
            }
            return Self.json(document)
        }
        router.get("api/v1/events") { _, _ in self.events() }
        for (action, reason) in [("sync", SyncTrigger.Reason.resync), ("refresh", SyncTrigger.Reason.poll)] {
            router.post("api/v1/targets/:name/\(action)") { request, context in
                guard self.named(context) else { return self.unknownTarget() }
                return await self.act(request, reason: reason)
            }
        }
    }

    /// `text/event-stream`: an `update` event with the new sequence number after every
    /// change; ends on shutdown (the browser reconnects after `retry`).
    func events() -> Response {
        let stream = recorder.changes()
        let first = recorder.sequence
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 1000\nevent: update\ndata: {\"sequence\":\(first)}\n\n"))
            let recorder = self.recorder
            try await withGracefulShutdownHandler {
                for await sequence in stream {
                    try await writer.write(ByteBuffer(string: "event: update\ndata: {\"sequence\":\(sequence)}\n\n"))
                }
            } onGracefulShutdown: {
                recorder.finishStreams()
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }

    /// "Sync now" (a full resync) and "refresh" (a poll): checked by `DashboardAccess`.
    func act(_ request: Request, reason: SyncTrigger.Reason) async -> Response {
        guard let trigger, access.actionsEnabled else {
            return Self.body("actions are disabled: start tether run with --ui-actions\n", type: "text/plain; charset=utf-8", status: .forbidden)
        }
        var request = request
        let form = (try? await request.collectBody(upTo: 4096)).map { String(buffer: $0) } ?? ""
        let csrf = Self.header("x-csrf-token", in: request) ?? Self.formField("csrf", in: form)
        if let refusal = access.refusal(authorization: request.headers[.authorization], csrf: csrf,
                                        origin: request.headers[.origin], host: request.head.authority,
                                        fetchSite: Self.header("sec-fetch-site", in: request)) {
            return Self.body(refusal + "\n", type: "text/plain; charset=utf-8", status: .forbidden)
        }
        trigger(SyncTrigger(reason))
        if request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
            return Response(status: .seeOther, headers: [.location: pagePath])
        }
        return Self.json(["accepted": .string(reason.rawValue)], status: .accepted)
    }

    func named(_ context: BasicRequestContext) -> Bool { context.parameters.get("name") == target.name }

    func objectID(_ context: BasicRequestContext) -> ResourceID? {
        let text = context.parameters.getCatchAll().map { $0.removingPercentEncoding ?? String($0) }.joined(separator: "/")
        return resourceID(text)
    }

    func unknownTarget() -> Response {
        Self.body("unknown target: this daemon syncs '\(target.name)'\n", type: "text/plain; charset=utf-8", status: .notFound)
    }

    static func header(_ lowercased: String, in request: Request) -> String? {
        request.headers.first { $0.name.canonicalName == lowercased }?.value
    }

    static func syncNumber(_ request: Request) -> Int? { request.uri.queryParameters.get("sync").flatMap { Int($0) } }

    static func formField(_ name: String, in form: String) -> String? {
        for pair in form.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if parts.count == 2, parts[0] == name { return parts[1] }
        }
        return nil
    }

    static func html(_ text: String) -> Response { body(text, type: "text/html; charset=utf-8") }

    static func json(_ value: Value, status: HTTPResponse.Status = .ok) -> Response {
        body(((try? JSONEncoding(pretty: true).string(value)) ?? "{}") + "\n", type: "application/json", status: status)
    }

    static func body(_ text: String, type: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: type, .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
