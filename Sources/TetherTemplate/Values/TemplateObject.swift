/// A host-supplied Go value with fields and methods: Helm's `.Release`, `.Chart`, `.Files`,
/// `.Capabilities`, or a value a function returns (a semver version, a `time.Time`).
///
/// Field access `.Name` asks `member(named:)` first (Go looks up methods before fields);
/// when that answers `nil` and the object has an `underlying` map, the name is looked up as
/// a key of that map, as Go does for a named map type such as Helm's `chartutil.Values`.
///
/// ```swift
/// struct Release: TemplateObject {
///     var name: String
///     var typeName: String { "*release.Info" }
///     func member(named name: String) -> TemplateMember? {
///         name == "Name" ? .field(.string(self.name)) : nil
///     }
///     var formatted: String { "&{\(name)}" }
/// }
/// ```
package protocol TemplateObject: Sendable {
    /// The Go type name `%T` and `typeOf` print, such as `*semver.Version`.
    var typeName: String { get }

    /// The field or method called `name`, or `nil` when the type has neither.
    /// - Parameter name: the exported Go name (`Name`, `Get`, `KubeVersion`).
    /// - Returns: `.field(value)` or `.method(function)`; `nil` when there is no such member,
    ///   which the engine reports as Go's "can't evaluate field NAME in type TYPE".
    func member(named name: String) -> TemplateMember?

    /// What Go's `fmt` prints for `%v` and `print`: `String()` for a `fmt.Stringer`,
    /// `Error()` for an error, otherwise Go's struct form such as `{1 20 v1.20.0}`.
    var formatted: String { get }

    /// The Go slice or map this type is defined over (`VersionSet` is a `[]string`,
    /// `chartutil.Values` a `map[string]interface{}`), or `nil` for a struct. `range`,
    /// `index`, `len`, truth and map-key field access then use it. Defaults to `nil`.
    var underlying: TemplateValue? { get }

    /// Whether this is a nil pointer of its type (Go prints `<nil>`, is false, and
    /// "nil pointer evaluating" a field of it). Defaults to `false`.
    var isNil: Bool { get }

    /// Go's `==` with another object of the same type, or `nil` when the type is not
    /// comparable (then `eq` fails as Go does). Defaults to `nil`.
    /// - Parameter other: the value compared with; the engine checks `typeName` first.
    func isEqual(to other: any TemplateObject) -> Bool?
}

extension TemplateObject {
    package var underlying: TemplateValue? { nil }
    package var isNil: Bool { false }
    package func isEqual(to other: any TemplateObject) -> Bool? { nil }
}

/// What an object answers for a name: a field's value or a method to call.
package enum TemplateMember: Sendable {
    /// A field; giving it arguments is Go's "X has arguments but cannot be invoked as function".
    case field(TemplateValue)
    /// A method; the engine checks the arguments against its parameter types and calls it.
    case method(TemplateFunction)
}
