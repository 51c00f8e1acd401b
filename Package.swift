// swift-tools-version:6.0
import PackageDescription

/// Settings every Swift target shares: Swift 6 language mode plus the upcoming
/// features the style guide asks for.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "tether",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tether", targets: ["tether"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    ],
    targets: [
        // MARK: C libraries (found with pkg-config)
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // The generated Kubernetes tables (protobuf messages, patch schema), data compiled in.
        .target(name: "CKubernetesTables", exclude: ["protobuf-table.txt", "patch-schema.txt"]),

        // MARK: Libraries, bottom up
        .target(name: "TetherModel", dependencies: ["CYAML", "COpenSSL"], swiftSettings: swiftSettings),
        .target(name: "TetherPatch", dependencies: ["TetherModel", "CKubernetesTables"], swiftSettings: swiftSettings),
        .target(
            name: "TetherEmulator",
            dependencies: [
                "TetherModel", "TetherPatch", "CKubernetesTables",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings),
        .target(name: "TetherRender", dependencies: ["TetherModel", "TetherPatch"], swiftSettings: swiftSettings),
        // MARK: Helm: Go text/template, then Helm (Sprig, built-ins, charts, values, output)
        .target(name: "TetherTemplate", dependencies: ["TetherModel"], swiftSettings: swiftSettings),
        .target(name: "TetherHelm", dependencies: ["TetherTemplate", "TetherModel", "COpenSSL"], swiftSettings: swiftSettings),
        // MARK: SOPS decryption and encryption (age, PGP through gpg, AES-256-GCM, MAC, stores)
        .target(
            name: "TetherSOPS",
            dependencies: [
                "TetherModel",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
        .target(name: "TetherGit", dependencies: ["CGit2", "TetherModel", .product(name: "Logging", package: "swift-log")], swiftSettings: swiftSettings),
        .target(
            name: "TetherKube",
            dependencies: ["CCurl", "TetherModel", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        .target(
            name: "TetherEngine",
            dependencies: [
                "TetherModel", "TetherPatch", "TetherKube",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),

        .target(
            name: "TetherDaemon",
            dependencies: [
                "COpenSSL", "TetherModel", "TetherKube", "TetherEngine", "TetherGit", "TetherRender", "TetherPatch",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings),

        // MARK: Executable
        .executableTarget(
            name: "tether",
            dependencies: [
                "TetherDaemon",
                "TetherEngine",
                "TetherGit",
                "TetherKube",
                "TetherModel",
                "TetherEmulator",
                "TetherRender",
                "TetherHelm",
                "TetherTemplate",
                "TetherSOPS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Benchmarks (run in release mode through Benchmarks/*/run.sh)
        .executableTarget(
            name: "YAMLBench", dependencies: ["TetherModel"], path: "Benchmarks/yaml",
            exclude: ["run.sh", "gen-stream.py", "python_yaml.py"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "RenderBench", dependencies: ["TetherRender"], path: "Benchmarks/render",
            exclude: ["run.sh"], swiftSettings: swiftSettings),

        // MARK: Tests
        .testTarget(name: "TetherModelTests", dependencies: ["TetherModel"], swiftSettings: swiftSettings),
        .testTarget(name: "TetherPatchTests", dependencies: ["TetherPatch", "TetherModel"], swiftSettings: swiftSettings),
        // Test support shared by the test targets: real servers (posix_spawn with a clean signal
        // mask) and the per-test log capture (`.capturedLogs`).
        .target(
            name: "TestSupport", dependencies: [.product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "TetherCLITests", dependencies: ["tether", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "TetherEmulatorTests", dependencies: ["TetherEmulator", "TetherModel", "TetherPatch", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "TetherRenderTests", dependencies: ["TetherRender", "TetherModel"], swiftSettings: swiftSettings),
        .testTarget(name: "TetherTemplateTests", dependencies: ["TetherTemplate"], swiftSettings: swiftSettings),
        .testTarget(name: "TetherHelmTests", dependencies: ["TetherHelm", "TetherTemplate", "TetherModel"], swiftSettings: swiftSettings),
        .testTarget(name: "TetherSOPSTests", dependencies: ["TetherSOPS", "TetherModel", "TetherHelm", "TetherTemplate"], swiftSettings: swiftSettings),
        .executableTarget(name: "GitBench", dependencies: ["TetherGit", .product(name: "Logging", package: "swift-log")], path: "Benchmarks/git", exclude: ["run.sh"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "EmulatorBench", dependencies: ["TetherEmulator", "TetherModel", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/emulator", exclude: ["run.sh"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "KubeBench", dependencies: ["TetherKube", "TetherEmulator", "TetherModel", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/client", exclude: ["run.sh"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "EngineBench", dependencies: ["TetherModel"], path: "Benchmarks/engine",
            exclude: ["run.sh"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "DaemonBench", dependencies: ["TetherKube", "TetherModel", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/daemon", exclude: ["run.sh"], swiftSettings: swiftSettings),
        .testTarget(name: "TetherGitTests", dependencies: ["TetherGit", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TetherEngineTests",
            dependencies: ["TetherEngine", "TetherKube", "TetherModel", "TetherEmulator", "TetherRender", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "TetherKubeTests", dependencies: ["TetherKube", "TetherModel", "TetherEmulator", "TestSupport"],
            exclude: ["Support/kube_test_server.py"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TetherDaemonTests",
            dependencies: [
                "TetherDaemon", "TetherKube", "TetherModel", "TetherEmulator", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings),
    ]
)
