import ArgumentParser

@main
struct Tether: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tether",
        abstract: "Keep Kubernetes clusters equal to a Git repository.",
        version: "0.1.0")
}
