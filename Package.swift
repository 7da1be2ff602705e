// swift-tools-version:6.0
import PackageDescription
import Foundation

/// Release builds target AVX2 + FMA (x86-64-v3); without them `SIMD.addProduct` lowers to libm calls.
let fastMath: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-mavx2", "-Xcc", "-mfma", "-target-cpu", "haswell"], .when(configuration: .release)),
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

/// `kouzi-infer` carries the Swift runtime, Foundation, OpenBLAS, zlib and the C++ runtime inside it, so an edge
/// bundle runs where only glibc is installed (the archives come with the toolchain and Debian's -dev packages).
let edgeLinking: [LinkerSetting] = [
    .unsafeFlags(["-static-executable", "-use-ld=lld", "-Xlinker", "--strip-all"], .when(platforms: [.linux])),
]

let package = Package(
    name: "Kouzi",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "KouziTensor", targets: ["KouziTensor"]),
        .library(name: "KouziNN", targets: ["KouziNN"]),
        .library(name: "KouziData", targets: ["KouziData"]),
        .library(name: "KouziTables", targets: ["KouziTables"]),
        .library(name: "KouziTraining", targets: ["KouziTraining"]),
        .library(name: "KouziInference", targets: ["KouziInference"]),
        .library(name: "KouziTasks", targets: ["KouziTasks"]),
        .library(name: "KouziExplain", targets: ["KouziExplain"]),
        .library(name: "KouziONNX", targets: ["KouziONNX"]),
        .executable(name: "kouzi", targets: ["kouzi"]),
        .executable(name: "kouzi-infer", targets: ["KouziInfer"]),
        .executable(name: "kouzi-bench", targets: ["KouziBench"]),
        .library(name: "KouziRec", targets: ["KouziRec"]),
        .executable(name: "kouzi-rec-bench", targets: ["KouziRecBench"]),
        .executable(name: "kouzi-load", targets: ["KouziLoad"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3", "-mavx2", "-mfma", "-fno-math-errno"])]),
        .target(name: "KouziBase", swiftSettings: fastMath),
        .target(name: "KouziTensor", dependencies: ["KouziBase", "CBLAS", "CKernels"], swiftSettings: fastMath),
        .target(name: "KouziNN", dependencies: ["KouziBase", "KouziTensor", "KouziData", "CKernels"], swiftSettings: fastMath),
        .target(name: "KouziData", dependencies: ["KouziBase", "KouziTensor", "CZlib"], swiftSettings: fastMath),
        .target(name: "KouziTables", dependencies: ["KouziBase", "KouziData"], swiftSettings: fastMath),
        .target(name: "KouziExplain", dependencies: ["KouziBase", "KouziTensor", "KouziNN"], swiftSettings: fastMath),
        .target(name: "KouziONNX",
                dependencies: ["KouziBase", "KouziTensor", "KouziNN", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                exclude: ["Generated/README.md"], swiftSettings: fastMath),
        .target(name: "KouziFormats", dependencies: ["KouziBase", "KouziData", "CZlib"], swiftSettings: fastMath),
        .target(name: "KouziTraining", dependencies: ["KouziBase", "KouziTensor", "KouziNN", "KouziData"], swiftSettings: fastMath),
        .target(name: "KouziInference", dependencies: ["KouziBase", "KouziTensor", "KouziNN"], swiftSettings: fastMath),
        .target(name: "KouziMonitoring", dependencies: ["KouziBase", "KouziData", "KouziInference"], swiftSettings: fastMath),
        .target(name: "KouziTasks",
                dependencies: ["KouziBase", "KouziTensor", "KouziNN", "KouziData", "KouziTraining", "KouziInference",
                               "KouziMonitoring", "KouziRec", "KouziExplain", "KouziONNX"],
                swiftSettings: fastMath),
        .target(
            name: "KouziCLI",
            dependencies: ["KouziBase", "KouziNN", "KouziData", "KouziFormats", "KouziTraining", "KouziInference", "KouziTasks",
                           "KouziPlatform", "KouziServer", "KouziONNX",
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: fastMath),
        .target(
            name: "KouziPlatform",
            dependencies: [
                "KouziBase", "KouziNN", "KouziData", "KouziTables", "KouziFormats", "KouziTraining", "KouziInference",
                "KouziMonitoring", "KouziTasks", "KouziRec", "KouziONNX",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]),
        .target(
            name: "KouziServer",
            dependencies: [
                "KouziBase", "KouziPlatform", "KouziTraining", "KouziInference", "KouziMonitoring", "KouziTasks", "KouziTables",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(name: "kouzi", dependencies: ["KouziCLI"], swiftSettings: fastMath),
        .executableTarget(name: "KouziInfer", dependencies: ["KouziInference", "KouziTasks"],
                         swiftSettings: fastMath + [.unsafeFlags(["-static-executable"], .when(platforms: [.linux]))],
                         linkerSettings: edgeLinking),
        .executableTarget(name: "KouziBench", dependencies: ["KouziNN", "KouziData", "KouziExplain", "CBLAS"], swiftSettings: fastMath),
        .target(name: "KouziTestSupport", dependencies: ["KouziTensor", "KouziNN"], path: "Sources/KouziTestSupport"),
        .target(name: "KouziRec", dependencies: ["KouziBase", "KouziTensor", "KouziNN", "KouziData"], swiftSettings: fastMath),
        .executableTarget(name: "KouziRecBench", dependencies: ["KouziRec"], swiftSettings: fastMath),
        .executableTarget(name: "KouziLoad"),
        .target(name: "KouziParserFuzzing",
                dependencies: ["KouziBase", "KouziTensor", "KouziNN", "KouziData", "KouziTables", "KouziFormats", "KouziInference",
                               "KouziONNX"]),
        .executableTarget(name: "kouzi-parser-fuzz", dependencies: ["KouziParserFuzzing"]),
        .testTarget(name: "KouziRecTests", dependencies: ["KouziRec", "KouziTestSupport"], swiftSettings: fastMath),
        .testTarget(name: "KouziTensorTests", dependencies: ["KouziTensor", "KouziTestSupport"], exclude: ["Fixtures"],
                    swiftSettings: fastMath),
        .testTarget(name: "KouziNNTests", dependencies: ["KouziBase", "KouziNN", "KouziData", "KouziTestSupport"],
                    exclude: ["Fixtures"], swiftSettings: fastMath),
        .testTarget(name: "KouziDataTests", dependencies: ["KouziData", "KouziTestSupport"], swiftSettings: fastMath),
        .testTarget(name: "KouziONNXTests", dependencies: ["KouziONNX", "KouziNN", "KouziTensor", "KouziTestSupport", "KouziParserFuzzing"],
                    swiftSettings: fastMath),
        .testTarget(name: "KouziExplainTests", dependencies: ["KouziExplain", "KouziNN", "KouziData", "KouziTestSupport"],
                    exclude: ["Fixtures"], swiftSettings: fastMath),
        .testTarget(name: "KouziTablesTests", dependencies: ["KouziTables", "KouziTestSupport"], swiftSettings: fastMath),
        .testTarget(name: "KouziServerTests",
                    dependencies: ["KouziBase", "KouziPlatform", "KouziServer", "KouziNN", "KouziTensor", "KouziFormats", "KouziInference",
                                   "KouziTasks", "KouziTraining", "KouziTestSupport",
                                   .product(name: "Crypto", package: "swift-crypto"),
                                   .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "KouziPlatformTests",
                    dependencies: ["KouziBase", "KouziPlatform", "KouziTasks", "KouziTraining", "KouziInference", "KouziNN", "KouziTensor", "KouziData",
                                   .product(name: "Logging", package: "swift-log")],
                    swiftSettings: fastMath),
        .testTarget(name: "KouziTrainingTests",
                    dependencies: ["KouziBase", "KouziTraining", "KouziInference", "KouziMonitoring", "KouziTasks", "KouziNN", "KouziData",
                                   "KouziTestSupport"],
                    swiftSettings: fastMath),
        .testTarget(name: "KouziFormatsTests", dependencies: ["KouziFormats"], swiftSettings: fastMath),
        .testTarget(name: "KouziLoadTests", dependencies: ["KouziLoad"]),
        .testTarget(name: "KouziParserFuzzingTests", dependencies: ["KouziParserFuzzing"]),
        .testTarget(name: "KouziCLITests", dependencies: ["KouziCLI", "KouziNN", "KouziData", "KouziTraining", "KouziInference",
                                                          "KouziTasks", "KouziTestSupport"],
                    swiftSettings: fastMath),
    ]
)

/// `KOUZI_LIBRARY_ONLY=1 swift test …` builds and tests the numeric and task libraries alone, without the platform,
/// the server and their packages (a few minutes instead of twenty for a first build). CI never sets it.
if ProcessInfo.processInfo.environment["KOUZI_LIBRARY_ONLY"] == "1" {
    let platformTargets: Set<String> = ["KouziCLI", "KouziPlatform", "KouziServer", "kouzi", "KouziServerTests", "KouziCLITests",
                                        "KouziPlatformTests"]
    package.targets.removeAll { platformTargets.contains($0.name) }
    package.products.removeAll { $0.name == "kouzi" }
    package.dependencies.removeAll { dependency in
        guard case let .sourceControl(_, location, _) = dependency.kind else { return false }
        return ["swift-crypto", "GRDB.swift", "postgres-nio", "hummingbird", "swift-nio", "swift-http-types",
                "swift-argument-parser", "swift-log"].contains { location.hasSuffix("/" + $0) }
    }
}

