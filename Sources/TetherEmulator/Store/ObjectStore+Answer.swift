import TetherModel

/// A write's answer: the object, and its JSON when it could be cut from the
/// stored object's list-item encoding instead of being encoded again.
struct WriteAnswer: Sendable {
    var object: Value
    /// The JSON of `object`, byte for byte what encoding it would give; nil to encode it.
    var json: [UInt8]?
}

extension ObjectStore {
    /// `apply`, answered with the object's JSON when it is the stored object.
    ///
    /// - Throws: the errors of `apply`.
    func applyAnswer(_ type: ResourceType, namespace: String, name: String, config: Value, manager: String,
                     force: Bool, dryRun: Bool) throws(EmulatorError) -> (WriteAnswer, created: Bool)
    {
        let (object, created) = try apply(type, namespace: namespace, name: name, config: config, manager: manager,
                                          force: force, dryRun: dryRun)
        return (answer(object, as: type, dryRun: dryRun), created)
    }

    /// `create`, answered with the object's JSON when it is the stored object.
    ///
    /// - Throws: the errors of `create`.
    func createAnswer(_ type: ResourceType, namespace: String, body: Value, dryRun: Bool,
                      manager: String) throws(EmulatorError) -> WriteAnswer
    {
        answer(try create(type, namespace: namespace, body: body, dryRun: dryRun, manager: manager), as: type, dryRun: dryRun)
    }

    /// The answer for `object`, which a write just returned as served at `type`.
    ///
    /// Every stored version of an object has its own resourceVersion, and a
    /// write that is not a dry run answers either what it stored or the
    /// unchanged stored object, so an answer whose resourceVersion is the
    /// stored one's is the stored object. For a built-in type the list item
    /// is the object without `kind` and `apiVersion`, which the canonical key
    /// order puts first, so the answer is those two fields and then the rest
    /// of the item's bytes. Anything else (dry runs, deleted objects, custom
    /// resources, whose items carry the storage's apiVersion) is encoded as before.
    private func answer(_ object: Value, as type: ResourceType, dryRun: Bool) -> WriteAnswer {
        var answer = WriteAnswer(object: object, json: nil)
        guard !dryRun, type.builtIn,
              let name = object[path: ["metadata", "name"]]?.stringValue,
              let version = object[path: ["metadata", "resourceVersion"]]?.stringValue
        else { return answer }
        let namespace = type.namespaced ? object[path: ["metadata", "namespace"]]?.stringValue ?? "" : ""
        let key = Self.key(namespace, name)
        guard let stored = objects[type.groupResource]?[key], case .map(let map) = stored,
              map.entries.count >= 2, map.entries[0].key == "kind", map.entries[1].key == "apiVersion",
              stored[path: ["metadata", "resourceVersion"]]?.stringValue == version,
              let item = encodedItems[type.groupResource]?[key],
              item.count >= 2, item.first == UInt8(ascii: "{"), item.last == UInt8(ascii: "}")
        else { return answer }
        var head = OrderedMap()
        head["kind"] = map.entries[0].value
        head["apiVersion"] = .string(type.apiVersion)
        guard var json = try? JSONEncoding().bytes(.map(head)), json.last == UInt8(ascii: "}") else { return answer }
        json.removeLast()
        json.reserveCapacity(json.count + item.count)
        if item.count > 2 {
            json.append(UInt8(ascii: ","))
            json += item[1...]
        } else {
            json.append(UInt8(ascii: "}"))
        }
        answer.json = json
        return answer
    }
}
