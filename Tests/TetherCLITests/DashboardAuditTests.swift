import Foundation
import Testing

/// Issue 19: the dashboard reads the daemon's memory (the watch cache and what the syncs
/// recorded), so serving it adds no request to the cluster. The emulator's audit is the
/// witness.
@Suite("dashboard: no API request to the cluster", .serialized, .timeLimit(.minutes(2)))
struct DashboardAuditTests {
    @Test("every page and /api/v1 document, fetched repeatedly after a sync and a drift, adds no request to the emulator's audit")
    func dashboardSendsNoRequest() throws {
        guard CLI.kubectl != nil else { print("notice: kubectl not on PATH; skipping"); return }
        let emulator = try SyncCommandTests.Emulator()
        let repository = try RunCommandTests.repository()
        defer { try? FileManager.default.removeItem(at: repository) }
        // A long --interval: no poll falls inside the window (a poll of an applied
        // revision sends nothing either, but this keeps the witness clean).
        let daemon = try RunCommandTests.Daemon(["--source", "file://" + repository.path, "--path", "overlays/aws", "--server", emulator.url,
                                                 "--interval", "300", "--cache-dir", repository.appendingPathComponent(".cache").path,
                                                 "--prune", "--no-events"])
        #expect(RunCommandTests.eventually(within: 20) { (try? daemon.get("/readyz").status) == "200" } != nil, "\(daemon.output.suffix(1500))")
        _ = try emulator.kubectl(["scale", "deployment/storefront", "-n", "shop", "--replicas", "6"])
        #expect(RunCommandTests.eventually(within: 5) {
            ((try? daemon.get("/api/v1/targets/overlays-aws/drift").body) ?? "").contains("\"corrected\"")
        } != nil, "drift corrected")
        // Let the correction's own requests land before the witness starts.
        Thread.sleep(forTimeInterval: 1)
        try emulator.resetAudit()

        let id = "Deployment.apps/shop/storefront"
        let paths = ["/", "/targets/overlays-aws", "/targets/overlays-aws/diff/\(id)", "/api/v1/targets", "/api/v1/targets/overlays-aws",
                     "/api/v1/targets/overlays-aws/resources", "/api/v1/targets/overlays-aws/history", "/api/v1/targets/overlays-aws/drift",
                     "/api/v1/targets/overlays-aws/diff/\(id)?sync=1", "/dashboard/dashboard.css", "/dashboard/dashboard.js"]
        var served = 0
        for _ in 0..<5 {
            for path in paths {
                let answer = try daemon.get(path)
                #expect(answer.status == "200", "\(path): \(answer.status) \(answer.body.prefix(200))")
                served += 1
            }
        }
        let requests = try emulator.audit().filter { ($0["verb"] as? String) != "watch" }
        print("dashboard: \(served) pages and API documents served; \(requests.count) API requests meanwhile")
        #expect(requests.isEmpty, "the dashboard sent: \(requests.map { "\($0["method"] ?? "") \($0["path"] ?? "")" })")
    }
}
