import Foundation
import TetherModel
import TetherTemplate

/// What `.Capabilities` answers: the cluster's Kubernetes version and API versions and Helm's
/// own version. ``default`` is what `helm template` (Helm v4.2, client-only) uses.
package struct HelmCapabilities: Sendable {
    /// `KubeVersion.Version`, e.g. `v1.36.0`.
    package var kubeVersion: String
    /// The group/versions (and `group/version/Kind` entries) `APIVersions.Has` knows.
    package var apiVersions: [String]

    package init(kubeVersion: String, apiVersions: [String]) {
        self.kubeVersion = kubeVersion
        self.apiVersions = apiVersions
    }

    /// Helm v4.2's defaults when no cluster is asked (`helm template` without
    /// `--kube-version`/`--api-versions`): Kubernetes v1.36.0 and client-go's built-in
    /// group/versions.
    package static let `default` = HelmCapabilities(kubeVersion: "v1.36.0", apiVersions: [
        "v1", "admissionregistration.k8s.io/v1", "admissionregistration.k8s.io/v1alpha1",
        "admissionregistration.k8s.io/v1beta1", "internal.apiserver.k8s.io/v1alpha1", "apps/v1",
        "apps/v1beta1", "apps/v1beta2", "authentication.k8s.io/v1", "authentication.k8s.io/v1alpha1",
        "authentication.k8s.io/v1beta1", "authorization.k8s.io/v1", "authorization.k8s.io/v1beta1",
        "autoscaling/v1", "autoscaling/v2", "batch/v1", "batch/v1beta1", "certificates.k8s.io/v1",
        "certificates.k8s.io/v1beta1", "certificates.k8s.io/v1alpha1", "coordination.k8s.io/v1alpha2",
        "coordination.k8s.io/v1beta1", "coordination.k8s.io/v1", "discovery.k8s.io/v1",
        "discovery.k8s.io/v1beta1", "events.k8s.io/v1", "events.k8s.io/v1beta1", "extensions/v1beta1",
        "flowcontrol.apiserver.k8s.io/v1", "flowcontrol.apiserver.k8s.io/v1beta1",
        "flowcontrol.apiserver.k8s.io/v1beta2", "flowcontrol.apiserver.k8s.io/v1beta3",
        "networking.k8s.io/v1", "networking.k8s.io/v1beta1", "node.k8s.io/v1", "node.k8s.io/v1alpha1",
        "node.k8s.io/v1beta1", "policy/v1", "policy/v1beta1", "rbac.authorization.k8s.io/v1",
        "rbac.authorization.k8s.io/v1beta1", "rbac.authorization.k8s.io/v1alpha1", "resource.k8s.io/v1",
        "resource.k8s.io/v1beta2", "resource.k8s.io/v1beta1", "resource.k8s.io/v1alpha3",
        "scheduling.k8s.io/v1alpha2", "scheduling.k8s.io/v1beta1", "scheduling.k8s.io/v1",
        "storage.k8s.io/v1beta1", "storage.k8s.io/v1", "storage.k8s.io/v1alpha1",
        "storagemigration.k8s.io/v1beta1", "apiextensions.k8s.io/v1beta1", "apiextensions.k8s.io/v1",
    ])

    /// The template object.
    var object: CapabilitiesObject { CapabilitiesObject(capabilities: self) }
}

/// `.Capabilities` (`*common.Capabilities`).
struct CapabilitiesObject: TemplateObject {
    var capabilities: HelmCapabilities
    var typeName: String { "*common.Capabilities" }
    func member(named name: String) -> TemplateMember? {
        switch name {
        case "KubeVersion": return .field(.object(KubeVersionObject(version: capabilities.kubeVersion)))
        case "APIVersions": return .field(.object(VersionSetObject(versions: capabilities.apiVersions)))
        case "HelmVersion": return .field(.object(HelmVersionObject()))
        default: return nil
        }
    }
    var formatted: String {
        "&{\(KubeVersionObject(version: capabilities.kubeVersion).structText) \(GoFormat.string(.list(capabilities.apiVersions.map { .string($0) }))) \(HelmVersionObject().formatted)}"
    }
}

/// `.Capabilities.KubeVersion`: `Version`, `Major`, `Minor`, `GitVersion`; prints as its version.
struct KubeVersionObject: TemplateObject {
    var version: String
    var typeName: String { "common.KubeVersion" }
    private var parts: [String] {
        version.drop { $0 == "v" }.split(separator: "-").first.map { $0.split(separator: ".").map(String.init) } ?? []
    }
    func member(named name: String) -> TemplateMember? {
        switch name {
        case "Version", "GitVersion": return .field(.string(version))
        case "Major": return .field(.string(parts.first ?? ""))
        case "Minor": return .field(.string(parts.count > 1 ? parts[1] : ""))
        case "String": return .method(TemplateFunction { _, _ in .string(version) })
        default: return nil
        }
    }
    var formatted: String { version }
    var structText: String { "{\(version) \(version) \(parts.first ?? "") \(parts.count > 1 ? parts[1] : "")}" }
}

/// `.Capabilities.APIVersions` (`common.VersionSet`, a `[]string` with `Has`).
struct VersionSetObject: TemplateObject {
    var versions: [String]
    var typeName: String { "common.VersionSet" }
    var underlying: TemplateValue? { .list(versions.map { .string($0) }, .string) }
    func member(named name: String) -> TemplateMember? {
        guard name == "Has" else { return nil }
        let versions = versions
        return .method(TemplateFunction([.string]) { args, _ in .bool(versions.contains(args[0].stringValue ?? "")) })
    }
    var formatted: String { GoFormat.string(.list(versions.map { .string($0) })) }
}

/// `.Capabilities.HelmVersion`.
struct HelmVersionObject: TemplateObject {
    var typeName: String { "version.BuildInfo" }
    func member(named name: String) -> TemplateMember? {
        switch name {
        case "Version": return .field(.string("v4.2"))
        case "GitCommit", "GitTreeState": return .field(.string(""))
        case "GoVersion": return .field(.string("go1.26.6"))
        case "KubeClientVersion": return .field(.string("v1.36"))
        default: return nil
        }
    }
    var formatted: String { "{v4.2   go1.26.6 v1.36}" }
}

/// `.Files` (Helm's `engine.files`, a `map[string][]byte` of the chart's non-template files).
struct FilesObject: TemplateObject {
    var files: [String: [UInt8]]
    var typeName: String { "engine.files" }
    var underlying: TemplateValue? { .map(files.mapValues(Self.bytesValue), .slice(.uint(.uint8))) }
    var formatted: String { GoFormat.string(underlying ?? .null) }

    static func bytesValue(_ bytes: [UInt8]) -> TemplateValue {
        .list(bytes.map { .uint(UInt64($0), .uint8) }, .uint(.uint8))
    }

    func member(named name: String) -> TemplateMember? {
        let files = files
        switch name {
        case "Get":
            return .method(TemplateFunction([.string]) { a, _ in .string(String(decoding: files[a[0].stringValue ?? ""] ?? [], as: UTF8.self)) })
        case "GetBytes":
            return .method(TemplateFunction([.string]) { a, _ in Self.bytesValue(files[a[0].stringValue ?? ""] ?? []) })
        case "Glob":
            return .method(TemplateFunction([.string]) { a, _ in
                let glob = GlobPattern(a[0].stringValue ?? "")
                return .object(FilesObject(files: files.filter { glob.matches($0.key) }))
            })
        case "Lines":
            return .method(TemplateFunction([.string]) { a, _ in
                guard let data = files[a[0].stringValue ?? ""], !data.isEmpty else { return .list([], .string) }
                var text = String(decoding: data, as: UTF8.self)
                if text.hasSuffix("\n") { text.removeLast() }
                return .list(text.split(separator: "\n", omittingEmptySubsequences: false).map { .string(String($0)) }, .string)
            })
        case "AsConfig":
            return .method(TemplateFunction { _, _ in
                .string(HelmYAML.toYAML(.map(Self.byBaseName(files) { .string(String(decoding: $0, as: UTF8.self)) })))
            })
        case "AsSecrets":
            return .method(TemplateFunction { _, _ in
                .string(HelmYAML.toYAML(.map(Self.byBaseName(files) { .string(Base64.encode($0)) })))
            })
        default: return nil
        }
    }

    private static func byBaseName(_ files: [String: [UInt8]], _ transform: ([UInt8]) -> TemplateValue) -> [String: TemplateValue] {
        var out: [String: TemplateValue] = [:]
        for key in files.keys.sorted() {
            out[String(key.split(separator: "/").last ?? "")] = transform(files[key]!)
        }
        return out
    }
}

/// A gobwas/glob pattern with `/` as separator, as `.Files.Glob` uses: `*` and `?` stay within
/// a path segment, `**` crosses segments, `[...]` classes and `{a,b}` alternatives.
struct GlobPattern {
    private let pattern: [Character]

    init(_ pattern: String) { self.pattern = Array(pattern) }

    func matches(_ path: String) -> Bool { Self.match(pattern[...], Array(path)[...]) }

    private static func match(_ p: ArraySlice<Character>, _ s: ArraySlice<Character>) -> Bool {
        guard let c = p.first else { return s.isEmpty }
        switch c {
        case "*":
            let doubleStar = p.dropFirst().first == "*"
            let rest = p.dropFirst(doubleStar ? 2 : 1)
            var i = s.startIndex
            while true {
                if match(rest, s[i...]) { return true }
                if i == s.endIndex || (!doubleStar && s[i] == "/") { return false }
                i += 1
            }
        case "?":
            guard let first = s.first, first != "/" else { return false }
            return match(p.dropFirst(), s.dropFirst())
        case "[":
            guard let close = p.dropFirst().firstIndex(of: "]"), let first = s.first else { return false }
            var set = p[(p.startIndex + 1)..<close]
            let negate = set.first == "!"
            if negate { set = set.dropFirst() }
            var hit = false
            var j = set.startIndex
            while j < set.endIndex {
                if j + 2 < set.endIndex, set[j + 1] == "-" {
                    if set[j] <= first && first <= set[j + 2] { hit = true }
                    j += 3
                } else {
                    if set[j] == first { hit = true }
                    j += 1
                }
            }
            return hit != negate && match(p[(close + 1)...], s.dropFirst())
        case "{":
            guard let close = p.firstIndex(of: "}") else { return false }
            let options = p[(p.startIndex + 1)..<close].split(separator: ",", omittingEmptySubsequences: false)
            let rest = p[(close + 1)...]
            return options.contains { match(ArraySlice(Array($0) + Array(rest)), s) }
        case "\\":
            guard p.count > 1, s.first == p[p.startIndex + 1] else { return false }
            return match(p.dropFirst(2), s.dropFirst())
        default:
            guard s.first == c else { return false }
            return match(p.dropFirst(), s.dropFirst())
        }
    }
}
