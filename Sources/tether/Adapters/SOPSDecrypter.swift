import Foundation
import TetherRender
import TetherSOPS

/// The renderer's ``FileDecrypting`` seam carried out by TetherSOPS: a file with SOPS
/// metadata is decrypted and verified (values and MAC), any other file is left alone.
struct SOPSFileDecrypter: FileDecrypting {
    let decrypter: SOPSDecrypter

    func decryptIfEncrypted(_ bytes: [UInt8], path: String) throws -> [UInt8]? {
        guard SOPSDecrypter.isEncrypted(bytes, path: path) else { return nil }
        return try decrypter.decrypt(bytes, file: path).plaintext
    }
}
