import ArgumentParser
import Foundation
import TetherSOPS

/// `tether encrypt --age RECIPIENT FILE`: write a SOPS-encrypted file, like `sops --encrypt`.
struct EncryptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encrypt",
        abstract: "Encrypt a file with SOPS for age recipients and print it, like sops --encrypt.",
        discussion: """
            Every value is sealed with AES-256-GCM under a fresh data key, which is wrapped for \
            each age recipient; the MAC covers all values (or only the encrypted ones with \
            --mac-only-encrypted). The store is chosen from the extension (.yaml/.yml, .json, \
            .env, .ini, anything else binary) unless --input-type says otherwise. At most one of \
            the --encrypted-/--unencrypted- suffix and regex rules may be given; without one, \
            keys ending in _unencrypted stay clear, as in sops. Comments are not kept. The \
            result is printed, or written to --output.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "An age recipient (age1…) to encrypt the data key for; repeatable, or comma-separated as in sops. SOPS_AGE_RECIPIENTS is read when none is given.",
            valueName: "recipient"))
    var age: [String] = []

    @Option(name: .long, help: ArgumentHelp("Encrypt only values below a key matching this regex.", valueName: "regex"))
    var encryptedRegex: String?

    @Option(name: .long, help: ArgumentHelp("Leave values below a key matching this regex clear.", valueName: "regex"))
    var unencryptedRegex: String?

    @Option(name: .long, help: ArgumentHelp("Encrypt only values below a key ending in this suffix.", valueName: "suffix"))
    var encryptedSuffix: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Leave values below a key ending in this suffix clear (default _unencrypted).", valueName: "suffix"))
    var unencryptedSuffix: String?

    @Flag(name: .long, help: "Let the MAC cover only the encrypted values (sops' mac_only_encrypted).")
    var macOnlyEncrypted = false

    @Option(name: .long, help: ArgumentHelp("The plaintext's store: yaml, json, dotenv, ini or binary (default: from the extension).", valueName: "type"))
    var inputType: String?

    @Option(name: .long, help: ArgumentHelp("The encrypted file's store: yaml, json, dotenv, ini or binary (default: the input's).", valueName: "type"))
    var outputType: String?

    @Option(name: .long, help: ArgumentHelp("Write the encrypted file here instead of standard output.", valueName: "path"))
    var output: String?

    @Argument(help: ArgumentHelp("The plaintext file.", valueName: "file"))
    var file: String

    func validate() throws {
        let rules = [encryptedRegex, unencryptedRegex, encryptedSuffix, unencryptedSuffix].compactMap { $0 }
        guard rules.count <= 1 else {
            throw ValidationError("give at most one of --encrypted-regex, --unencrypted-regex, --encrypted-suffix and --unencrypted-suffix: sops stores one rule per file.")
        }
        if rules.contains(where: \.isEmpty) {
            throw ValidationError("a suffix or regex rule must not be empty: leave the flag out for sops' default (_unencrypted).")
        }
        _ = try Self.format(inputType, flag: "--input-type")
        _ = try Self.format(outputType, flag: "--output-type")
        if recipientTexts().isEmpty {
            throw ValidationError("no recipient: give --age age1… (age-keygen -y KEYFILE prints it) or set SOPS_AGE_RECIPIENTS.")
        }
    }

    func run() async throws {
        _ = global.bootstrapLogging()
        do {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read '\(file)'. Check the path.")
            }
            var recipients: [AgeRecipient] = []
            for text in recipientTexts() { recipients.append(try AgeRecipient(text)) }
            let options = SOPSEncryptionOptions(
                ageRecipients: recipients, rule: rule(), macOnlyEncrypted: macOnlyEncrypted,
                inputFormat: try Self.format(inputType, flag: "--input-type"),
                outputFormat: try Self.format(outputType, flag: "--output-type"))
            let encrypted = try SOPSEncrypter(options: options).encrypt(Array(data), file: file)
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: Data(encrypted)) else {
                    throw ValidationError("cannot write '\(output)'. Check that its folder exists and is writable.")
                }
            } else {
                FileHandle.standardOutput.write(Data(encrypted))
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            throw report(error)
        }
    }

    /// The recipients from `--age` (each possibly comma-separated), else `SOPS_AGE_RECIPIENTS`.
    private func recipientTexts() -> [String] {
        let given = age.isEmpty ? [ProcessInfo.processInfo.environment["SOPS_AGE_RECIPIENTS"] ?? ""] : age
        return given.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private func rule() -> SOPSEncryptionOptions.Rule? {
        if let encryptedRegex { return .encryptedRegex(encryptedRegex) }
        if let unencryptedRegex { return .unencryptedRegex(unencryptedRegex) }
        if let encryptedSuffix { return .encryptedSuffix(encryptedSuffix) }
        if let unencryptedSuffix { return .unencryptedSuffix(unencryptedSuffix) }
        return nil
    }

    private static func format(_ text: String?, flag: String) throws -> SOPSFormat? {
        guard let text else { return nil }
        guard let format = SOPSFormat(rawValue: text.lowercased()) else {
            throw ValidationError("\(flag) '\(text)' is not a store: use yaml, json, dotenv, ini or binary.")
        }
        return format
    }
}
