import Foundation
import TetherHelm
import TetherModel
import TetherRender
import TetherTemplate

/// The renderer's ``ChartRenderer`` seam carried out by TetherHelm: a kustomization's
/// `helmCharts` entry rendered by the same engine as `tether render CHART`, its values
/// files read (and SOPS-decrypted) through `HelmValues.read`.
struct HelmChartRenderer: ChartRenderer {
    /// The absolute directory the renderer's root-relative paths are in.
    let root: String
    /// Decrypts SOPS-encrypted values files; nil reads them as stored.
    let decrypter: (any FileDecrypting)?

    /// The factory the reconcile pipeline renders each checkout with.
    static let factory: ChartRendererFactory = { root, decrypter in HelmChartRenderer(root: root, decrypter: decrypter) }

    func render(chartDirectory: String, request: HelmChartRequest) throws -> String {
        var decrypting: HelmValues.Decrypting?
        if let decrypter {
            decrypting = { @Sendable (bytes: [UInt8], path: String) throws -> [UInt8]? in
                try decrypter.decryptIfEncrypted(bytes, path: path)
            }
        }
        func absolute(_ relative: String) -> String { relative.isEmpty ? root : root + "/" + relative }
        let inline: [String: TemplateValue] = (request.valuesInline?.entries ?? []).reduce(into: [:]) {
            $0[$1.key] = HelmValues.templateValue($1.value)
        }
        var user = inline
        if request.valuesMerge != .replace || request.valuesInline == nil, let file = request.valuesFile {
            let fromFile = try HelmValues.read(file: absolute(file), decrypting: decrypting)
            user = request.valuesMerge == .merge ? HelmValues.merged(inline, with: fromFile) : HelmValues.merged(fromFile, with: inline)
        }
        for file in request.additionalValuesFiles {
            user = HelmValues.merged(user, with: try HelmValues.read(file: absolute(file), decrypting: decrypting))
        }
        var template = HelmTemplate()
        template.releaseName = request.releaseName
        if let namespace = request.namespace { template.namespace = namespace }
        template.includeCRDs = request.includeCRDs
        template.skipTests = request.skipTests
        template.apiVersions = request.apiVersions
        template.kubeVersion = request.kubeVersion
        return try template.render(try HelmTemplate.chart(at: absolute(chartDirectory)), userValues: user)
    }
}
