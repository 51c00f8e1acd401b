import Foundation
import Testing
import TetherModel
@testable import TetherHelm

/// Packaged charts (`.tgz`): made here with the system's `tar` (GNU tar, gzip), then loaded
/// by Tether's own gzip and tar readers.
@Suite("packaged charts (.tgz)")
struct ChartArchiveTests {
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tgz-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs a program, failing the test when it fails.
    static func run(_ program: String, _ arguments: [String], in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(program) \(arguments) failed")
    }

    static func render(_ chart: Chart, _ item: HelmCorpus.Case) throws -> String {
        let values = try HelmValues.read(file: item.file("values.yaml").path)
        return try ManifestStream(rendered: try HelmEngine(release: .init(name: "rel", namespace: "ns")).render(chart, values: values)).text()
    }

    @Test("each shared chart packaged as a .tgz renders its cases as helm template does",
          .enabled(if: HelmCorpus.isPresent, "../shared/helm is absent"))
    func packagedCharts() throws {
        let work = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        let charts = HelmCorpus.root.appendingPathComponent("charts").path
        for chartName in Set(HelmCorpus.cases.map(\.chart)).sorted() {
            // the archive holds what the directory loader keeps (its .helmignore applied), as helm package makes it
            let directory = try Chart(directory: charts + "/" + chartName)
            let kept = try HelmIgnore(directory: charts + "/" + chartName).walk(charts + "/" + chartName)
                .filter { !$0.isDirectory }.map { chartName + "/" + $0.path }
            try kept.joined(separator: "\n").write(toFile: work + "/\(chartName).list", atomically: true, encoding: .utf8)
            try Self.run("/usr/bin/tar", ["-czf", work + "/\(chartName).tgz", "-C", charts, "-T", work + "/\(chartName).list"], in: work)
            let data = try #require(FileManager.default.contents(atPath: work + "/\(chartName).tgz"))
            let archive = try Chart(archive: [UInt8](data), source: chartName + ".tgz")
            #expect(archive.subcharts.map(\.name).sorted() == directory.subcharts.map(\.name).sorted())
            for item in HelmCorpus.cases where item.chart == chartName {
                let expected = try String(contentsOf: item.file("expected.yaml"), encoding: .utf8)
                let got = try Self.render(archive, item)
                #expect(got == expected, "\(item): \(HelmChartRenderTests.firstDifference(got, expected))")
            }
        }
    }

    @Test("a dependency packaged under charts/ (redis's common as common.tgz) renders as the folder did",
          .enabled(if: HelmCorpus.isPresent, "../shared/helm is absent"))
    func archivedSubchart() throws {
        let work = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        try Self.run("/bin/cp", ["-R", HelmCorpus.root.appendingPathComponent("charts/redis").path, work + "/redis"], in: work)
        try Self.run("/usr/bin/tar", ["-czf", "common-2.0.0.tgz", "common"], in: work + "/redis/charts")
        try FileManager.default.removeItem(atPath: work + "/redis/charts/common")
        let chart = try Chart(directory: work + "/redis")
        #expect(chart.subcharts.map(\.name) == ["common"])
        for item in HelmCorpus.cases where item.chart == "redis" {
            let expected = try String(contentsOf: item.file("expected.yaml"), encoding: .utf8)
            let got = try Self.render(chart, item)
            #expect(got == expected, "\(item): \(HelmChartRenderTests.firstDifference(got, expected))")
        }
    }

    @Test("a damaged or foreign archive is refused with the reason; a path outside the chart is refused")
    func refused() throws {
        let work = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        try FileManager.default.createDirectory(atPath: work + "/c/templates", withIntermediateDirectories: true)
        try "apiVersion: v2\nname: c\nversion: 1.0.0\n".write(toFile: work + "/c/Chart.yaml", atomically: true, encoding: .utf8)
        try String(repeating: "x: y\n", count: 200).write(toFile: work + "/c/templates/a.yaml", atomically: true, encoding: .utf8)
        try Self.run("/usr/bin/tar", ["-czf", "c.tgz", "c"], in: work)
        var bytes = [UInt8](try #require(FileManager.default.contents(atPath: work + "/c.tgz")))
        #expect(try Chart(archive: bytes, source: "c.tgz").templates.count == 1)
        bytes[bytes.count - 12] ^= 0xFF  // inside the compressed data or its CRC
        #expect(throws: HelmError.self) { try Chart(archive: bytes, source: "c.tgz") }
        #expect(throws: HelmError.self) { try Chart(archive: Array("not gzip".utf8), source: "x.tgz") }
        try Self.run("/usr/bin/tar", ["-czf", "evil.tgz", "-P", "--transform=s,^c,c/../../evil,", "c"], in: work)
        let evil = [UInt8](try #require(FileManager.default.contents(atPath: work + "/evil.tgz")))
        #expect(throws: HelmError.self) { try Chart(archive: evil, source: "evil.tgz") }
    }

    @Test("gzip: stored, fixed and dynamic blocks decode; the CRC is checked")
    func gzipBlocks() throws {
        let work = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        var text = ""
        for i in 0..<5000 { text += "line \(i) \(i * 7919 % 1000)\n" }
        try text.write(toFile: work + "/t", atomically: true, encoding: .utf8)
        for level in ["-1", "-9"] {
            try Self.run("/bin/sh", ["-c", "gzip \(level) -c t > t\(level).gz"], in: work)
            let gz = [UInt8](try #require(FileManager.default.contents(atPath: work + "/t\(level).gz")))
            #expect(try Gzip.decompress(gz) == Array(text.utf8))
        }
        // a tiny input gzip stores or codes with the fixed tables
        try Self.run("/bin/sh", ["-c", "printf 'ab' | gzip -c > small.gz"], in: work)
        #expect(try Gzip.decompress([UInt8](try #require(FileManager.default.contents(atPath: work + "/small.gz")))) == Array("ab".utf8))
    }
}
