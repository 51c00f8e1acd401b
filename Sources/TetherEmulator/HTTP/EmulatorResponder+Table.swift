import Hummingbird
import TetherModel

extension EmulatorResponder {
    /// A list answered as a Table, with the list's resourceVersion and continue token.
    func tableList(_ call: ResourceRequest, selection: Selection, limit: Int?) async throws -> Response {
        let page = try await store.list(call.type, selection: selection, limit: limit, continueToken: call.query["continue"])
        var metadata = OrderedMap()
        metadata["resourceVersion"] = .string(String(page.resourceVersion))
        if let token = page.continueToken { metadata["continue"] = .string(token) }
        if let remaining = page.remainingItemCount { metadata["remainingItemCount"] = .int(remaining) }
        return Self.json(try await table(page.items, call, listMetadata: metadata))
    }

    /// The Table for `items` of the request's type: the built-in printer's
    /// columns, or a CRD version's additionalPrinterColumns.
    /// - Throws: `EmulatorError.badRequest` for an unknown `includeObject`.
    func table(_ items: [Value], _ call: ResourceRequest, listMetadata: OrderedMap) async throws -> Value {
        let includeText = call.query["includeObject"] ?? "Metadata"
        guard let include = TableConvertor.IncludeObject(rawValue: includeText) else {
            throw EmulatorError.badRequest("includeObject: Unsupported value: \"\(includeText)\": supported values: \"Metadata\", \"None\", \"Object\"")
        }
        let type = call.type
        let columns: [TableColumn]
        if type.builtIn {
            columns = TablePrinters.columns(kind: type.kind, group: type.group)
        } else {
            var crd: Value?
            if let crdType = store.servedRegistry.type(for: ObjectStore.crds) {
                crd = try? await store.get(crdType, namespace: "", name: type.plural + "." + type.group)
            }
            columns = TableConvertor.customColumns(crd: crd, version: type.version)
        }
        return TableConvertor.table(items: items, columns: columns, include: include, listMetadata: listMetadata)
    }
}
