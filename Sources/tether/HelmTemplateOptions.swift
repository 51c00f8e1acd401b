import ArgumentParser
import TetherHelm

/// `helm template`'s flags, for `tether render CHART_DIR`. Refused for a kustomization
/// directory, where they would mean nothing.
struct HelmTemplateOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The release name the templates see as .Release.Name (default: release-name).", valueName: "name"))
    var releaseName: String?

    @Option(name: [.customShort("n"), .long], help: ArgumentHelp("The release namespace (.Release.Namespace; default: default).", valueName: "namespace"))
    var namespace: String?

    @Option(name: [.customShort("f"), .customLong("values")], help: ArgumentHelp("A values file; repeatable, later files win.", valueName: "file"))
    var valueFiles: [String] = []

    @Option(name: .customLong("set"), help: ArgumentHelp("Values as key=value,key2=value2 (Helm's --set syntax); repeatable.", valueName: "values"))
    var values: [String] = []

    @Option(name: .customLong("set-string"), help: ArgumentHelp("As --set, every value a string.", valueName: "values"))
    var stringValues: [String] = []

    @Option(name: .customLong("set-file"), help: ArgumentHelp("key=path: the value is the file's text.", valueName: "values"))
    var fileValues: [String] = []

    @Option(name: .customLong("set-json"), help: ArgumentHelp("key=JSON (or a JSON object): values as JSON.", valueName: "values"))
    var jsonValues: [String] = []

    @Option(name: .customLong("set-literal"), help: ArgumentHelp("key=value, the value taken verbatim (commas included).", valueName: "value"))
    var literalValues: [String] = []

    @Option(name: [.customShort("a"), .customLong("api-versions")], help: ArgumentHelp("An API version for .Capabilities.APIVersions (group/version or group/version/Kind); repeatable.", valueName: "version"))
    var apiVersions: [String] = []

    @Option(name: .long, help: ArgumentHelp("The Kubernetes version for .Capabilities.KubeVersion (default: v1.36.0).", valueName: "version"))
    var kubeVersion: String?

    @Flag(name: .long, help: "Print the chart's crds/ files first.")
    var includeCRDs = false

    @Flag(name: .long, help: "Leave out test hooks.")
    var skipTests = false

    @Flag(name: .long, help: "Do not check values against values.schema.json.")
    var skipSchemaValidation = false

    /// The flags given, named, for refusing them where they do not apply.
    var given: [String] {
        var out: [String] = []
        if releaseName != nil { out.append("--release-name") }
        if namespace != nil { out.append("--namespace") }
        if !valueFiles.isEmpty { out.append("--values") }
        if !values.isEmpty { out.append("--set") }
        if !stringValues.isEmpty { out.append("--set-string") }
        if !fileValues.isEmpty { out.append("--set-file") }
        if !jsonValues.isEmpty { out.append("--set-json") }
        if !literalValues.isEmpty { out.append("--set-literal") }
        if !apiVersions.isEmpty { out.append("--api-versions") }
        if kubeVersion != nil { out.append("--kube-version") }
        if includeCRDs { out.append("--include-crds") }
        if skipTests { out.append("--skip-tests") }
        if skipSchemaValidation { out.append("--skip-schema-validation") }
        return out
    }

    /// The library's description of the render.
    var template: HelmTemplate {
        var t = HelmTemplate()
        if let releaseName { t.releaseName = releaseName }
        if let namespace { t.namespace = namespace }
        t.values = HelmValueOptions(
            valueFiles: valueFiles, values: values, stringValues: stringValues, fileValues: fileValues,
            jsonValues: jsonValues, literalValues: literalValues)
        t.kubeVersion = kubeVersion
        t.apiVersions = apiVersions
        t.includeCRDs = includeCRDs
        t.skipTests = skipTests
        t.validatesSchema = !skipSchemaValidation
        return t
    }
}
