import Foundation
import JSON
import TestSupport
import Testing

/// SplitMix64: a small generator whose sequence a seed fixes, so a failing run replays.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Hostile input on standard input")
struct HostileInputTests {
    /// Lines each answered with the given error code (and id), none affecting the others.
    @Test(
        arguments: [
            ([0x7B, 0xFF, 0xFE, 0x7D], -32700),  // invalid UTF-8
            (Array(#"{"jsonrpc":"2.0","id":1,"method":"disc\#u{0}over"}"#.utf8), -32700),  // a raw NUL in a string
            (Array(#"{"jsonrpc":"2.0","id":1,"method":"discover"}"#.utf8) + [0], -32700),  // a NUL after the value
            (Array((String(repeating: "[", count: 100_000)).utf8), -32700),  // nesting far past the limit
            (Array(#"{"jsonrpc":"2.0","id":1,"id":2,"method":"discover"}"#.utf8), -32700),  // duplicate keys
            (Array(#"{"jsonrpc":"2.0","id":[1],"method":"discover"}"#.utf8), -32600),
            (Array(#"{"jsonrpc":"2.0","id":{"a":1},"method":"discover"}"#.utf8), -32600),
            (Array(#"{"jsonrpc":"2.0","id":false,"method":"discover"}"#.utf8), -32600),
            (Array(#"{"jsonrpc":2.0,"id":1,"method":"discover"}"#.utf8), -32600),
            (
                Array(#"{"jsonrpc":"2.0","id":1,"method":"query","params":{"arguments":{"query":1e99999}}}"#.utf8),
                -32602
            ),
            (
                Array(
                    #"{"jsonrpc":"2.0","id":1,"method":"query_interval","params":{"arguments":{"query":"up","start":"1h","end":"now","step":[1]}}}"#
                        .utf8), -32602
            ),
        ] as [([UInt8], Int)])
    func eachHostileLineGetsItsErrorAndTheNextLineIsServed(_ line: [UInt8], _ code: Int) async throws {
        let plugin = try PluginProcess()
        plugin.sendRaw(line + [UInt8(ascii: "\n")])
        plugin.send(#"{"jsonrpc":"2.0","id":"next","method":"discover"}"#)
        let run = try await plugin.finish()
        #expect(run.status == 0)
        #expect(run.messages.count == 2)
        #expect(run.messages.contains { $0["error"]?["code"] == .number(JSONNumber(code)) })
        #expect(run.messages.contains { $0["id"] == "next" && $0["result"] != nil })
    }

    @Test func hugeIdsComeBackExactlyAsSent() async throws {
        let run = try await PluginProcess.run([
            #"{"jsonrpc":"2.0","id":123456789012345678901234567890,"method":"discover"}"#,
            #"{"jsonrpc":"2.0","id":-1.5e300,"method":"discover"}"#,
        ])
        #expect(run.lines.contains { $0.hasPrefix(#"{"jsonrpc":"2.0","id":123456789012345678901234567890,"result""#) })
        #expect(run.lines.contains { $0.hasPrefix(#"{"jsonrpc":"2.0","id":-1.5e300,"result""#) })
    }

    /// Mixed valid, invalid and mutated lines, from a seed that is printed so a failure can be replayed with
    /// `HOSTILE_INPUT_SEED=<seed> scripts/test --filter HostileInput`.
    @Test func randomLinesKeepEveryPromise() async throws {
        let seed = ProcessInfo.processInfo.environment["HOSTILE_INPUT_SEED"].flatMap(UInt64.init) ?? 20_261_125
        print("hostile input seed: \(seed)")
        var random = SeededGenerator(seed: seed)
        let nowhere = Loopback.refusedURL
        let templates = [
            #"{"jsonrpc":"2.0","id":"ID","method":"discover"}"#,
            #"{"jsonrpc":"2.0","id":"ID","method":"query","params":{"arguments":{"query":"up","when":"2 mns ago"}}}"#,
            #"{"jsonrpc":"2.0","id":"ID","method":"query","params":{"arguments":{"query":"up"},"configuration":{"prometheus_base_url":"NOWHERE"}}}"#,
            #"{"jsonrpc":"2.0","id":"ID","method":"query_interval","params":{"arguments":{"query":"up","start":"5m","end":"now","step":0}}}"#,
            #"{"jsonrpc":"2.0","id":"ID","method":"compute_mean","params":{"arguments":{"query":"up","mean_type":"median"}}}"#,
            #"{"jsonrpc":"2.0","id":"ID","method":"no_such_method"}"#,
            #"{"jsonrpc":"2.0","id":"ID","method":"query","params":{"arguments":{"foo":1}}}"#,
            #"[{"jsonrpc":"2.0","id":"ID","method":"discover"},{"jsonrpc":"2.0","method":"discover"}]"#,
        ].map { $0.replacingOccurrences(of: "NOWHERE", with: nowhere) }
        let noise: [[UInt8]] = [
            [], Array("   ".utf8), [0x0D], [0xFF, 0x00, 0xC3], Array("{".utf8), Array("[]".utf8), Array("[1,2]".utf8),
            Array(#"{"jsonrpc":"2.0","method":"discover"}"#.utf8),
            Array(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"r-3"}}"#.utf8),
            Array(String(repeating: "{\"a\":", count: 700).utf8), Array("1e999999999".utf8), Array("\"\\ud800\"".utf8),
        ]
        var exactlyOnce: Set<String> = []
        var atMostOnce: Set<String> = []
        let plugin = try PluginProcess()
        for index in 0..<1500 {
            let template = templates.randomElement(using: &random)!
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<4:
                let id = "r-\(index)"
                exactlyOnce.insert(id)
                plugin.sendRaw(
                    Array(template.replacingOccurrences(of: "ID", with: id).utf8)
                        + (Bool.random(using: &random) ? [0x0D, 0x0A] : [0x0A]))
            case 4..<7:
                // A random tail, so a mutation of one id cannot turn it into another line's id.
                let id = "m-\(index)-\(String(UInt32.random(in: .min ... .max, using: &random), radix: 16))"
                atMostOnce.insert(id)
                var bytes = Array(template.replacingOccurrences(of: "ID", with: id).utf8)
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    let position = Int.random(in: 0..<bytes.count, using: &random)
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: bytes[position] = UInt8.random(in: 0...255, using: &random)
                    case 1: bytes.insert(UInt8.random(in: 0...255, using: &random), at: position)
                    default: if bytes.count > 1 { bytes.remove(at: position) }
                    }
                }
                plugin.sendRaw(bytes + [0x0A])
            default:
                plugin.sendRaw(noise.randomElement(using: &random)! + [0x0A])
            }
        }
        plugin.send(#"{"jsonrpc":"2.0","id":"final","method":"discover"}"#)
        _ = try await plugin.response(id: "final", timeout: .seconds(60))
        let run = try await plugin.finish(timeout: .seconds(60))
        #expect(run.status == 0, "seed \(seed)")

        var answered: [String: Int] = [:]
        for message in run.messages {
            for response in message.arrayValue ?? [message] {
                if case .string(let id)? = response["id"] { answered[id, default: 0] += 1 }
            }
        }
        for id in exactlyOnce { #expect(answered[id] == 1, "seed \(seed): \(id) answered \(answered[id] ?? 0) times") }
        for id in atMostOnce {
            #expect((answered[id] ?? 0) <= 1, "seed \(seed): \(id) answered \(answered[id]!) times")
        }
        #expect(answered["final"] == 1, "seed \(seed)")
    }
}
