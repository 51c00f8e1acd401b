import ArgumentParser
import Foundation
import TetherDaemon

/// `tether run`'s dashboard flags (docs/dashboard.md).
struct DashboardOptions: ParsableArguments {
    @Flag(name: .long, inversion: .prefixedNo, help: "Serve the web dashboard at / and its JSON API at /api/v1 on --listen.")
    var dashboard = true

    @Flag(name: .long, help: "Allow the dashboard's \"sync now\" and \"refresh\" actions (bearer token or the page's CSRF token).")
    var uiActions = false

    @Option(name: .long, help: ArgumentHelp("File holding a bearer token that API clients send for the actions.", valueName: "file"))
    var uiTokenFile: String?

    @Option(name: .long, help: ArgumentHelp("Syncs kept in the dashboard's history.", valueName: "count"))
    var uiHistory = 50

    func validate() throws {
        if uiHistory < 1 { throw ValidationError("--ui-history must be at least 1.") }
        if uiTokenFile != nil, !uiActions { throw ValidationError("--ui-token-file needs --ui-actions.") }
        if !dashboard, uiActions { throw ValidationError("--ui-actions needs the dashboard; drop --no-dashboard.") }
    }

    /// The access rules, reading the token file.
    func access() throws -> DashboardAccess {
        var token: String?
        if let uiTokenFile {
            do {
                token = try String(contentsOfFile: uiTokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw ValidationError("--ui-token-file \(uiTokenFile): cannot read the file (\(error.localizedDescription)). Check the path and permissions.")
            }
            if token?.isEmpty == true { throw ValidationError("--ui-token-file \(uiTokenFile): the file is empty. Put the token in it.") }
        }
        return DashboardAccess(actionsEnabled: uiActions, bearerToken: token)
    }
}
