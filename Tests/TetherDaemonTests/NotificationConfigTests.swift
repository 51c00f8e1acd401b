import Foundation
import Testing
@testable import TetherDaemon
import TetherEngine
import TestSupport

@Suite("tether.yaml notifications: section, read with the targets", .capturedLogs)
struct NotificationConfigTests {
    static let targets = """
        targets:
        - name: aws
          path: overlays/aws
          server: https://127.0.0.1:6443

        """

    @Test("no section: every event kind, no providers")
    func absent() throws {
        let file = try TargetsFile.parse(Self.targets, file: "tether.yaml")
        #expect(file.targets.map(\.name) == ["aws"])
        #expect(file.notifications.sinks.isEmpty)
        #expect(file.notifications.kinds == Set(Notification.Kind.allCases))
    }

    @Test("providers and on: are read from the same file as the targets")
    func providers() throws {
        let text = Self.targets + """
            notifications:
              on: [failed, drift]
              providers:
              - type: webhook
                url: https://hooks.example.com/tether
                severity: error

            """
        let config = try TargetsFile.parse(text, file: "tether.yaml").notifications
        #expect(config.kinds == [.failed, .drift])
        #expect(config.sinks.map(\.service) == [.webhook])
        #expect(config.sinks.first?.url.absoluteString == "https://hooks.example.com/tether")
        #expect(config.sinks.first?.severity == .error)
    }

    @Test("a bad provider is refused with its place in tether.yaml")
    func refused() {
        let text = Self.targets + """
            notifications:
              providers:
              - type: pager

            """
        #expect {
            _ = try TargetsFile.parse(text, file: "tether.yaml")
        } throws: { error in
            let message = (error as? EngineError)?.message ?? ""
            return message.hasPrefix("tether.yaml:") && message.contains("'type' must be one of webhook, slack, teams, github, gitlab")
        }
    }
}
