import ArgumentParser
import Foundation
import Logging
import TetherModel

/// `tether validate`: parse Kubernetes YAML the way the renderer does and
/// report the first problem of each file with its location.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check Kubernetes YAML files and print them normalized.",
        discussion: """
            Each file (or - for standard input) is decoded as a multi-document YAML \
            stream: empty documents are skipped, List kinds are flattened, and every \
            object must have apiVersion, kind and metadata.name. Errors name the file, \
            line and column. With --print, the objects are written to standard output \
            exactly as `kubectl kustomize` would print them.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Print the objects, normalized, as one YAML stream.")
    var print = false

    @Argument(help: ArgumentHelp("YAML files to check; - reads standard input.", valueName: "file"))
    var files: [String]

    func run() async throws {
        let logger = global.bootstrapLogging()
        var objects: [Resource] = []
        var failures = 0
        for file in files {
            do {
                let text = try readText(file)
                let decoded = try Resource.decodeStream(text, file: file == "-" ? "<stdin>" : file)
                logger.debug("validated file", metadata: ["file": "\(file)", "objects": "\(decoded.count)"])
                objects += decoded
            } catch {
                failures += 1
                printError("error: \(error)")
            }
        }
        if failures > 0 { throw TetherExit.invalidInput }
        if print {
            do {
                FileHandle.standardOutput.write(Data(try Resource.encodeStream(objects).utf8))
            } catch {
                throw report(error)
            }
        } else {
            FileHandle.standardError.write(Data("\(objects.count) objects in \(files.count) files are valid\n".utf8))
        }
    }

    private func readText(_ file: String) throws -> String {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let d = FileManager.default.contents(atPath: file) else {
                throw ModelError(.invalidField, "cannot read the file. Check that it exists and is readable.", at: SourceLocation(file: file))
            }
            data = d
        }
        guard let text = String(data: data, encoding: .utf8) else {
            // Let libyaml report where the bad bytes are.
            _ = try YAMLDecoder().decode(bytes: [UInt8](data), file: file)
            throw ModelError(.invalidYAML, "file is not valid UTF-8. Save it as UTF-8.", at: SourceLocation(file: file))
        }
        return text
    }
}
