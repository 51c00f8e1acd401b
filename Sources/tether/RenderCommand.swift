import ArgumentParser
import Foundation
import Logging
import TetherHelm
import TetherRender

/// `tether render`: build a kustomization directory exactly as `kubectl
/// kustomize` would, or a chart directory as `helm template` would, and print the stream.
struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a kustomization directory as kubectl kustomize does, or a Helm chart as helm template does.",
        discussion: """
            The root is the top of the Git work tree that holds the directory (or the \
            directory itself outside a repository), whatever the current directory; \
            --root chooses another. Everything the kustomization references (`../base` \
            included) must lie inside the root; remote bases are refused. Output is byte-identical \
            to `kubectl kustomize` v5.5 for the supported fields. `helmCharts` are rendered with \
            tether's own Helm engine from charts vendored under `helmGlobals.chartHome` \
            (default `charts`); charts are never downloaded. SOPS-encrypted resources, \
            patches, generator sources and helmCharts values files are decrypted and verified while rendering, as \
            Flux's kustomize-controller does (keys: --age-key-file, --pgp-key-file, \
            SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, ~/.config/sops/age/keys.txt).

            A directory holding Chart.yaml, or a packaged chart (.tgz), is a Helm chart: it is rendered natively, as \
            `helm template` (Helm v4) prints it, with helm template's flags (--release-name, \
            -n, -f, --set, --set-string, --set-file, --set-json, --set-literal, --api-versions, \
            --kube-version, --include-crds, --skip-tests, --skip-schema-validation); relative \
            -f and --set-file paths are read from the current directory.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var decryption: DecryptionOptions
    @OptionGroup(title: "Helm chart options (a directory holding Chart.yaml)") var helm: HelmTemplateOptions

    @Argument(help: ArgumentHelp("The kustomization directory, or a Helm chart (a directory holding Chart.yaml, or a .tgz), absolute or relative to the current directory.", valueName: "dir"))
    var directory: String

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The directory the kustomization and everything it references must stay inside (default: the top of the Git work tree that holds <dir>, or <dir> itself outside a repository).",
            valueName: "dir"))
    var root: String?

    func run() async throws {
        let logger = global.bootstrapLogging()
        let cwd = FileManager.default.currentDirectoryPath
        let absolute = directory.hasPrefix("/") ? directory : cwd + "/" + directory
        let isChart = HelmTemplate.isChart(absolute)
        if isChart, root != nil {
            throw ValidationError("--root applies to a kustomization; \(directory) is a Helm chart. Drop --root.")
        }
        if isChart, !decryption.ageKeyFile.isEmpty || !decryption.pgpKeyFile.isEmpty {
            throw ValidationError("--age-key-file and --pgp-key-file apply to a kustomization; SOPS-encrypted Helm values are not decrypted yet. Drop the flags for \(directory).")
        }
        if !isChart, let flag = helm.given.first {
            throw ValidationError("\(flag) applies to a Helm chart; \(directory) holds no Chart.yaml. Drop the flag, or point at a chart directory.")
        }
        do {
            if isChart {
                let text = try helm.template.render(chartDirectory: absolute, valuesDirectory: cwd)
                logger.debug("rendered chart", metadata: ["render.path": "\(directory)"])
                FileHandle.standardOutput.write(Data(text.utf8))
                return
            }
            let location = try RenderRoot.locate(directory, root: root, currentDirectory: FileManager.default.currentDirectoryPath)
            let disk = try DiskFileSystem(root: location.root)
            let decrypter = try decryption.fileDecrypter()
            let fileSystem = DecryptingFileSystem(base: disk, decrypter: decrypter)
            let charts = HelmChartRenderer(root: disk.root, decrypter: decrypter)
            let text = try Renderer(fileSystem: fileSystem, chartRenderer: charts).renderText(location.path)
            logger.debug("rendered", metadata: ["render.path": "\(directory)", "render.root": "\(location.root)"])
            FileHandle.standardOutput.write(Data(text.utf8))
        } catch {
            throw report(error)
        }
    }
}
