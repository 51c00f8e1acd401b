import Foundation
import TetherTemplate

/// A packaged chart (`helm package`'s `NAME-VERSION.tgz`): a gzip-compressed tar whose entries
/// all sit under one top folder. Read as Helm's `loader.LoadArchive` reads it: regular files
/// only, the top folder stripped, `\` read as `/`, paths that climb out (`..`) or are absolute
/// refused, GNU long names and PAX `path` records honoured.
enum ChartArchive {
    /// The archive's files by chart-relative path, in archive order.
    /// - Parameter source: the archive's name, for errors.
    /// - Throws: `HelmError` `.invalidChart` when it is not a gzip tar or holds an unsafe path.
    static func files(_ bytes: [UInt8], source: String) throws(HelmError) -> [(path: String, bytes: [UInt8])] {
        let tar: [UInt8]
        do {
            tar = try Gzip.decompress(bytes)
        } catch {
            throw HelmError(.invalidChart, "not a chart archive: \(error.reason). Give a .tgz made by helm package.", path: source)
        }
        var out: [(path: String, bytes: [UInt8])] = []
        var position = 0
        var longName: String?
        var paxPath: String?
        while position + 512 <= tar.count {
            let header = tar[position..<(position + 512)]
            if header.allSatisfy({ $0 == 0 }) { break }
            let size = octal(header, 124, 12)
            let type = header[header.startIndex + 156]
            let dataStart = position + 512
            guard size >= 0, dataStart + size <= tar.count else {
                throw HelmError(.invalidChart, "the archive is truncated. Package the chart again.", path: source)
            }
            let data = Array(tar[dataStart..<(dataStart + size)])
            position = dataStart + (size + 511) / 512 * 512
            switch type {
            case UInt8(ascii: "L"):
                longName = cString(data[...])
                continue
            case UInt8(ascii: "x"):
                paxPath = paxRecords(data)["path"]
                continue
            case UInt8(ascii: "g"):
                continue
            default:
                break
            }
            var name = paxPath ?? longName ?? {
                let base = cString(header[(header.startIndex)..<(header.startIndex + 100)])
                let prefix = cString(header[(header.startIndex + 345)..<(header.startIndex + 500)])
                return prefix.isEmpty ? base : prefix + "/" + base
            }()
            longName = nil
            paxPath = nil
            guard type == UInt8(ascii: "0") || type == 0 || type == UInt8(ascii: "7") else { continue }  // regular files only
            name = name.replacingOccurrences(of: "\\", with: "/")
            var parts = name.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            if name.hasPrefix("/") || parts.contains("..") {
                throw HelmError(.invalidChart, "chart illegally contains content outside the base directory: \(goQuote(name)). Refusing the archive.", path: source)
            }
            parts.removeAll { $0 == "." }
            guard parts.count >= 2 else { continue }  // a file beside the top folder
            out.append((parts.dropFirst().joined(separator: "/"), data))
        }
        return out
    }

    /// A NUL-terminated field as text.
    private static func cString(_ bytes: ArraySlice<UInt8>) -> String {
        let end = bytes.firstIndex(of: 0) ?? bytes.endIndex
        return String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self)
    }

    /// An octal number field (spaces and NULs around it ignored); -1 when unreadable.
    private static func octal(_ header: ArraySlice<UInt8>, _ offset: Int, _ length: Int) -> Int {
        let field = header[(header.startIndex + offset)..<(header.startIndex + offset + length)]
        if let first = field.first, first & 0x80 != 0 {  // base-256 (GNU) for large sizes
            return field.dropFirst().reduce(Int(first & 0x7F)) { $0 << 8 | Int($1) }
        }
        var value = 0
        var seen = false
        for byte in field {
            if byte >= 0x30 && byte <= 0x37 {
                value = value * 8 + Int(byte - 0x30)
                seen = true
            } else if seen || (byte != 0x20 && byte != 0) {
                break
            }
        }
        return seen ? value : (field.allSatisfy { $0 == 0 || $0 == 0x20 } ? 0 : -1)
    }

    /// PAX extended header records (`LEN key=value\n`).
    private static func paxRecords(_ data: [UInt8]) -> [String: String] {
        var out: [String: String] = [:]
        var p = 0
        while p < data.count {
            guard let space = data[p...].firstIndex(of: 0x20), let length = Int(String(decoding: data[p..<space], as: UTF8.self)), length > 0,
                  p + length <= data.count else { break }
            let record = String(decoding: data[(space + 1)..<(p + length - 1)], as: UTF8.self)
            if let eq = record.firstIndex(of: "=") { out[String(record[..<eq])] = String(record[record.index(after: eq)...]) }
            p += length
        }
        return out
    }
}
