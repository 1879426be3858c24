// swift-tools-version:6.0
import PackageDescription

// One idea per target: JSON values, logging, the libcurl binding, the JSON-RPC layer, the Model Context Protocol's
// tools over it, the Chaos Toolkit activity model, the Prometheus probes, and a thin executable wiring them together.
let package = Package(
    name: "chaostoolkit-prometheus",
    products: [
        .executable(name: "chaostoolkit-prometheus", targets: ["chaostoolkit-prometheus"])
    ],
    targets: [
        .systemLibrary(
            name: "CCurl",
            path: "Sources/CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(name: "JSON"),
        .target(name: "Locking"),
        .target(name: "FileContents"),
        .target(name: "CivilCalendar", dependencies: ["FileContents"]),
        .systemLibrary(name: "CEpoll", path: "Sources/CEpoll"),
        .systemLibrary(name: "CBuildInfo", path: "Sources/CBuildInfo"),
        .target(name: "EventLoop", dependencies: ["CEpoll", "Locking"]),
        .target(name: "PluginLog", dependencies: ["Locking"]),
        .target(name: "HTTPClient", dependencies: ["CCurl", "CivilCalendar", "EventLoop", "Locking", "PluginLog"]),
        .target(name: "JSONRPC", dependencies: ["EventLoop", "JSON", "Locking", "PluginLog"]),
        .target(name: "ChaosToolkit", dependencies: ["JSON", "Locking", "PluginLog"]),
        .target(name: "ModelContextProtocol", dependencies: ["JSON", "JSONRPC", "Locking", "PluginLog"]),
        // HTTP for activities: exchanges turned into activity failures, base URLs, headers and form encoding, shared
        // by everything that talks to a server (the probes, the metrics control).
        .target(name: "ActivityHTTP", dependencies: ["ChaosToolkit", "HTTPClient", "JSON"]),
        .target(
            name: "PrometheusProbes",
            dependencies: [
                "ActivityHTTP", "ChaosToolkit", "CivilCalendar", "FileContents", "HTTPClient", "JSON", "PluginLog",
            ]),
        .target(
            name: "MetricsControl",
            dependencies: ["ActivityHTTP", "ChaosToolkit", "CivilCalendar", "HTTPClient", "JSON", "PluginLog"]),
        .executableTarget(
            name: "chaostoolkit-prometheus",
            dependencies: [
                "CBuildInfo", "ChaosToolkit", "EventLoop", "FileContents", "HTTPClient", "JSON", "JSONRPC", "PluginLog",
                "MetricsControl", "ModelContextProtocol", "PrometheusProbes",
            ]
        ),

        // Fuzz targets: libFuzzer entry points under `scripts/fuzz`, input replayers otherwise.
        .target(name: "FuzzEntry", dependencies: ["Locking"], path: "Fuzz/FuzzEntry"),
        .executableTarget(
            name: "JSONRPCFuzzer", dependencies: ["FuzzEntry", "JSON", "JSONRPC"], path: "Fuzz/JSONRPCFuzzer"),
        .executableTarget(
            name: "TimeExpressionFuzzer", dependencies: ["CivilCalendar", "FuzzEntry", "PrometheusProbes"],
            path: "Fuzz/TimeExpressionFuzzer"),
        .executableTarget(
            name: "ActivityFuzzer",
            dependencies: [
                "ChaosToolkit", "CivilCalendar", "FuzzEntry", "HTTPClient", "JSON", "Locking", "MetricsControl",
                "PrometheusProbes", "TestSupport",
            ],
            path: "Fuzz/ActivityFuzzer"),

        .target(
            name: "TestSupport", dependencies: ["HTTPClient", "JSON", "Locking", "PluginLog"], path: "Tests/TestSupport"
        ),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "FuzzEntryTests", dependencies: ["FuzzEntry"]),
        .testTarget(name: "EventLoopTests", dependencies: ["EventLoop", "Locking"]),
        .testTarget(name: "CivilCalendarTests", dependencies: ["CivilCalendar"]),
        .testTarget(name: "JSONRPCTests", dependencies: ["EventLoop", "JSONRPC", "JSON", "Locking", "PluginLog"]),
        .testTarget(name: "ChaosToolkitTests", dependencies: ["ChaosToolkit", "JSON"]),
        .testTarget(name: "HTTPClientTests", dependencies: ["CCurl", "HTTPClient", "TestSupport"]),
        .testTarget(name: "ActivityHTTPTests", dependencies: ["ActivityHTTP", "ChaosToolkit"]),
        .testTarget(
            name: "PrometheusProbesTests",
            dependencies: [
                "ActivityHTTP", "PrometheusProbes", "ChaosToolkit", "CivilCalendar", "HTTPClient", "JSON", "PluginLog",
                "TestSupport",
            ]
        ),
        .testTarget(
            name: "MetricsControlTests",
            dependencies: ["MetricsControl", "ChaosToolkit", "CivilCalendar", "HTTPClient", "JSON", "TestSupport"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["chaostoolkit-prometheus", "FileContents", "HTTPClient", "JSON", "TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// The benchmark of issue 5 (`scripts/benchmark`): a driver, built in release mode, that measures the plugin beside
// a raw libcurl client and the Python original against one real Prometheus, and prints the targets.
package.targets.append(
    .executableTarget(
        name: "PluginBenchmark", dependencies: ["CCurl", "JSON", "TestSupport"], path: "Benchmarks/PluginBenchmark")
)
