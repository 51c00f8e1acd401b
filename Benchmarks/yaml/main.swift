// YAMLBench: decode and re-encode a multi-document YAML stream with Tether's
// libyaml-based codec and print timings as one JSON line.
// Usage: YAMLBench FILE REPEATS
import Foundation
import TetherModel

let arguments = CommandLine.arguments
guard arguments.count == 3, let repeats = Int(arguments[2]),
    let data = FileManager.default.contents(atPath: arguments[1])
else {
    FileHandle.standardError.write(Data("usage: YAMLBench FILE REPEATS\n".utf8))
    exit(2)
}
let text = String(decoding: data, as: UTF8.self)

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

var bestDecode = Double.infinity
var bestEncode = Double.infinity
var objects: [Resource] = []
var encoded = ""
let clock = ContinuousClock()
do {
    for _ in 0..<repeats {
        let start = clock.now
        objects = try Resource.decodeStream(text, file: arguments[1])
        bestDecode = min(bestDecode, seconds(clock.now - start))
    }
    for _ in 0..<repeats {
        let start = clock.now
        encoded = try Resource.encodeStream(objects)
        bestEncode = min(bestEncode, seconds(clock.now - start))
    }
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
print(
    "{\"documents\": \(objects.count), \"bytes\": \(data.count), \"decode_s\": \(bestDecode), "
        + "\"encode_s\": \(bestEncode), \"encode_bytes\": \(encoded.utf8.count)}")
