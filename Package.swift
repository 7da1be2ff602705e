// swift-tools-version:6.0
import PackageDescription

/// Release builds target AVX2 + FMA (x86-64-v3); without them `SIMD.addProduct` lowers to libm calls.
let fastMath: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-mavx2", "-Xcc", "-mfma", "-target-cpu", "haswell"], .when(configuration: .release)),
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "Kouzi",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "KouziTensor", targets: ["KouziTensor"]),
        .library(name: "KouziNN", targets: ["KouziNN"]),
        .library(name: "KouziData", targets: ["KouziData"]),
        .executable(name: "kouzi", targets: ["kouzi"]),
        .executable(name: "kouzi-bench", targets: ["KouziBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3", "-mavx2", "-mfma", "-fno-math-errno"])]),
        .target(name: "KouziTensor", dependencies: ["CBLAS", "CKernels"], swiftSettings: fastMath),
        .target(name: "KouziNN", dependencies: ["KouziTensor", "CKernels"], swiftSettings: fastMath),
        .target(name: "KouziData", dependencies: ["KouziTensor", "CZlib"], swiftSettings: fastMath),
        .target(
            name: "KouziCLI",
            dependencies: ["KouziNN", "KouziData", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: fastMath),
        .executableTarget(name: "kouzi", dependencies: ["KouziCLI"], swiftSettings: fastMath),
        .executableTarget(name: "KouziBench", dependencies: ["KouziNN", "KouziData", "CBLAS"], swiftSettings: fastMath),
        .target(name: "KouziTestSupport", dependencies: ["KouziTensor", "KouziNN"], path: "Sources/KouziTestSupport"),
        .testTarget(name: "KouziTensorTests", dependencies: ["KouziTensor", "KouziTestSupport"], swiftSettings: fastMath),
        .testTarget(name: "KouziNNTests", dependencies: ["KouziNN", "KouziData", "KouziTestSupport"],
                    exclude: ["Fixtures"], swiftSettings: fastMath),
        .testTarget(name: "KouziDataTests", dependencies: ["KouziData", "KouziTestSupport"], swiftSettings: fastMath),
        .testTarget(name: "KouziCLITests", dependencies: ["KouziCLI", "KouziNN", "KouziData", "KouziTestSupport"],
                    swiftSettings: fastMath),
    ]
)
