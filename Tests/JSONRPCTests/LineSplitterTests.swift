import JSONRPC
import Testing

@Suite("Framing input into lines")
struct LineSplitterTests {
    private func lines(_ events: [LineSplitter.Event]) -> [String] {
        events.map {
            switch $0 {
            case .line(let bytes): String(decoding: bytes, as: UTF8.self)
            case .oversized(let length): "<oversized \(length)>"
            }
        }
    }

    @Test func splitsManyLinesInOneChunk() {
        var splitter = LineSplitter(maximumLineLength: 100)
        #expect(lines(splitter.feed(Array("a\nbb\nccc\n".utf8))) == ["a", "bb", "ccc"])
    }

    @Test func givesTheSameLinesFedOneByteAtATime() {
        let input = Array("{\"a\":1}\r\n\n  \n[2]\nlast".utf8)
        var whole = LineSplitter(maximumLineLength: 100)
        var bytewise = LineSplitter(maximumLineLength: 100)
        let expected = lines(whole.feed(input) + whole.finish())
        var events: [LineSplitter.Event] = []
        for byte in input { events += bytewise.feed([byte]) }
        events += bytewise.finish()
        #expect(lines(events) == expected)
        #expect(expected == ["{\"a\":1}", "[2]", "last"])
    }

    @Test func dropsTheCarriageReturnOfCRLF() {
        var splitter = LineSplitter(maximumLineLength: 100)
        #expect(lines(splitter.feed(Array("one\r\ntwo\r\n".utf8))) == ["one", "two"])
    }

    @Test func skipsEmptyAndBlankLines() {
        var splitter = LineSplitter(maximumLineLength: 100)
        #expect(lines(splitter.feed(Array("\n\r\n \t \nx\n".utf8))) == ["x"])
    }

    @Test func deliversALastLineWithoutNewlineAtEndOfInput() {
        var splitter = LineSplitter(maximumLineLength: 100)
        #expect(splitter.feed(Array("partial".utf8)).isEmpty)
        #expect(lines(splitter.finish()) == ["partial"])
        #expect(splitter.finish().isEmpty)
    }

    @Test func reportsAnOverlongLineAndCarriesOnWithTheNext() {
        var splitter = LineSplitter(maximumLineLength: 8)
        var events = splitter.feed(Array("0123456789".utf8))
        events += splitter.feed(Array("0123456789\nok\n".utf8))
        #expect(lines(events) == ["<oversized 20>", "ok"])
    }

    @Test func acceptsALineExactlyAtTheLimitWithOrWithoutCR() {
        var splitter = LineSplitter(maximumLineLength: 4)
        #expect(lines(splitter.feed(Array("abcd\nabcd\r\nabcde\n".utf8))) == ["abcd", "abcd", "<oversized 5>"])
    }
}
