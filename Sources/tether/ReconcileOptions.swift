import ArgumentParser
import TetherEngine
import TetherKube

/// What to reconcile and how safely: shared by `diff`, `sync` and `run`.
struct ReconcileOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Kustomization directory inside the source, e.g. overlays/aws.", valueName: "path"))
    var path = "."

    @Option(name: .long, help: ArgumentHelp("Name of the set of objects (default: derived from --path, e.g. overlays-aws; overlays/auto is named after the overlay it detects, so switching between the two keeps one set).", valueName: "name"))
    var name: String?

    @Option(name: .long, help: ArgumentHelp("Namespace of the ApplySet parent ConfigMap tether-NAME.", valueName: "namespace"))
    var parentNamespace = "tether-system"

    @Flag(name: .long, help: "Take ownership of fields another field manager holds.")
    var forceConflicts = false

    @Option(name: .long, help: ArgumentHelp("Objects planned or applied at once.", valueName: "n"))
    var concurrency = 16

    func validate() throws {
        if let name, !Self.isDNSLabel(name) || name.count > 50 {
            throw ValidationError("--name '\(name)' must be lower-case letters, digits and '-', at most 50 characters, starting and ending with a letter or digit.")
        }
        if concurrency < 1 || concurrency > 256 { throw ValidationError("--concurrency must be between 1 and 256.") }
        if !Self.isDNSLabel(parentNamespace) { throw ValidationError("--parent-namespace '\(parentNamespace)' is not a valid namespace name.") }
        if path.hasPrefix("/") || path.split(separator: "/").contains("..") {
            throw ValidationError("--path '\(path)' must be relative and stay inside the source.")
        }
    }

    static func isDNSLabel(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last, !text.isEmpty, text.count <= 63 else { return false }
        let allowed = text.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
        return allowed && first != "-" && last != "-"
    }

    /// - Parameter resolvedPath: `--path` with `overlays/auto` resolved to the detected
    ///   overlay; the default set name comes from it, so that `--path overlays/aws` and
    ///   `--path overlays/auto` on AWS manage the same set.
    func engineOptions(defaultNamespace: String, resolvedPath: String? = nil) -> EngineOptions {
        var options = EngineOptions(name: name ?? EngineOptions.name(forPath: resolvedPath ?? path))
        options.parentNamespace = parentNamespace
        options.forceConflicts = forceConflicts
        options.concurrency = concurrency
        options.defaultNamespace = defaultNamespace
        options.toolVersion = TetherVersion.current
        return options
    }
}

/// Prune safety flags (`sync` and `run`).
struct PruneOptions: ParsableArguments {
    @Flag(name: .long, help: "Delete objects that were applied before and are no longer rendered.")
    var prune = false

    @Flag(name: .long, help: "Allow a render with no objects to prune everything.")
    var allowEmpty = false

    @Option(name: .long, help: ArgumentHelp("Refuse to prune more than this many objects.", valueName: "n"))
    var maxPrune = 50

    @Option(name: .long, help: ArgumentHelp("Refuse to prune more than this percentage of the set.", valueName: "percent"))
    var maxPrunePercent = 30

    @Flag(name: .long, help: "Prune even past --max-prune and --max-prune-percent.")
    var forcePrune = false

    @Flag(name: .long, help: "Also prune Namespaces, CustomResourceDefinitions and PersistentVolumeClaims.")
    var pruneProtected = false

    @Option(name: .long, help: ArgumentHelp("Deletion propagation: background, foreground or orphan.", valueName: "policy"))
    var prunePropagation: PropagationOption = .background

    func validate() throws {
        if maxPrune < 0 { throw ValidationError("--max-prune must be 0 or more.") }
        if !(0...100).contains(maxPrunePercent) { throw ValidationError("--max-prune-percent must be between 0 and 100.") }
    }

    func apply(to options: inout EngineOptions) {
        options.prune = prune
        options.allowEmpty = allowEmpty
        options.maxPrune = maxPrune
        options.maxPrunePercent = maxPrunePercent
        options.forcePrune = forcePrune
        options.pruneProtected = pruneProtected
        options.propagation = prunePropagation.policy
    }
}

/// `--prune-propagation` values.
enum PropagationOption: String, ExpressibleByArgument, CaseIterable {
    case background, foreground, orphan
    var policy: PropagationPolicy {
        switch self {
        case .background: .background
        case .foreground: .foreground
        case .orphan: .orphan
        }
    }
}
