import ArgumentParser
import Foundation
import TetherSOPS

/// `tether decrypt FILE`: print a SOPS file's verified plaintext, like `sops --decrypt`.
struct DecryptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decrypt",
        abstract: "Decrypt a SOPS-encrypted file and print its plaintext, like sops --decrypt.",
        discussion: """
            The store is chosen from the extension (.yaml/.yml, .json, .env, .ini, anything else \
            binary). Every value and the file's MAC are verified; a file that fails either is \
            refused with exit code 2 and nothing is printed. For debugging and CI checks: the \
            output contains the secrets.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var decryption: DecryptionOptions

    @Argument(help: ArgumentHelp("The encrypted file.", valueName: "file"))
    var file: String

    func run() async throws {
        _ = global.bootstrapLogging()
        do {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read '\(file)'. Check the path.")
            }
            let decrypted = try SOPSDecrypter(keys: try decryption.keys()).decrypt(Array(data), file: file)
            FileHandle.standardOutput.write(Data(decrypted.plaintext))
        } catch let error as ValidationError {
            throw error
        } catch {
            throw report(error)
        }
    }
}
