/// Percent-encoding for query strings and URL path segments.
package enum FormEncoding {
    /// Percent-encodes every byte but the unreserved characters of RFC 3986; a space becomes `+` when
    /// `spaceAsPlus` is set, as Python's `quote_plus` writes it.
    package static func escape(_ text: String, spaceAsPlus: Bool = false) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                escaped.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " ") where spaceAsPlus:
                escaped += "+"
            default:
                escaped +=
                    "%" + String(byte >> 4, radix: 16, uppercase: true)
                    + String(byte & 0x0F, radix: 16, uppercase: true)
            }
        }
        return escaped
    }
}
