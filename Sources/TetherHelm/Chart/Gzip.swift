/// gzip (RFC 1952) around DEFLATE (RFC 1951), decoded in Swift: what a packaged chart
/// (`.tgz`) is compressed with. Only decoding; each member's CRC-32 and length are checked.
enum Gzip {
    /// A gzip stream that cannot be decoded, with the reason.
    struct Failure: Error {
        var reason: String
    }

    /// The bytes of every member of a gzip stream, concatenated.
    /// - Parameter maxBytes: the largest output accepted (a guard against compression bombs).
    static func decompress(_ input: [UInt8], maxBytes: Int = 1 << 30) throws(Failure) -> [UInt8] {
        var out: [UInt8] = []
        var position = 0
        repeat {
            position = try member(input, from: position, into: &out, maxBytes: maxBytes)
        } while position < input.count && input[position] == 0x1F
        return out
    }

    private static func member(_ b: [UInt8], from start: Int, into out: inout [UInt8], maxBytes: Int) throws(Failure) -> Int {
        guard b.count >= start + 18, b[start] == 0x1F, b[start + 1] == 0x8B else { throw Failure(reason: "not gzip data (no 1f 8b magic)") }
        guard b[start + 2] == 8 else { throw Failure(reason: "compression method \(b[start + 2]) is not deflate") }
        let flags = b[start + 3]
        var p = start + 10
        if flags & 4 != 0 {  // FEXTRA
            guard p + 2 <= b.count else { throw Failure(reason: "truncated header") }
            p += 2 + Int(b[p]) | Int(b[p + 1]) << 8
        }
        for bit: UInt8 in [8, 16] where flags & bit != 0 {  // FNAME, FCOMMENT
            while p < b.count && b[p] != 0 { p += 1 }
            p += 1
        }
        if flags & 2 != 0 { p += 2 }  // FHCRC
        guard p < b.count else { throw Failure(reason: "truncated header") }
        let begin = out.count
        var inflater = Inflater(input: b, position: p)
        try inflater.run(into: &out, maxBytes: maxBytes)
        var q = inflater.bytePosition
        guard q + 8 <= b.count else { throw Failure(reason: "truncated trailer") }
        let crc = UInt32(b[q]) | UInt32(b[q + 1]) << 8 | UInt32(b[q + 2]) << 16 | UInt32(b[q + 3]) << 24
        let size = UInt32(b[q + 4]) | UInt32(b[q + 5]) << 8 | UInt32(b[q + 6]) << 16 | UInt32(b[q + 7]) << 24
        q += 8
        guard crc32(out[begin...]) == crc else { throw Failure(reason: "CRC-32 mismatch (the archive is damaged)") }
        guard UInt32(truncatingIfNeeded: out.count - begin) == size else { throw Failure(reason: "length mismatch (the archive is damaged)") }
        return q
    }

    private static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes { c = crcTable[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

/// A DEFLATE decoder (stored, fixed and dynamic Huffman blocks), in the manner of zlib's `puff`.
private struct Inflater {
    let input: [UInt8]
    var position: Int
    var bitBuffer: UInt32 = 0
    var bitCount = 0

    init(input: [UInt8], position: Int) {
        self.input = input
        self.position = position
    }

    /// The byte after the last one consumed (the stream ends on a byte boundary).
    var bytePosition: Int { position }

    /// Canonical Huffman code: counts per length and symbols in code order.
    struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int] = []

        /// Whether more codes are used than the lengths allow (the stream is damaged).
        var isOverSubscribed = false

        init(lengths: [Int]) {
            for l in lengths { counts[l] += 1 }
            counts[0] = 0
            var left = 1
            for len in 1..<16 {
                left <<= 1
                left -= counts[len]
                if left < 0 { isOverSubscribed = true }
            }
            var offsets = [Int](repeating: 0, count: 16)
            for len in 1..<15 { offsets[len + 1] = offsets[len] + counts[len] }
            symbols = [Int](repeating: 0, count: lengths.count)
            for (symbol, l) in lengths.enumerated() where l != 0 {
                symbols[offsets[l]] = symbol
                offsets[l] += 1
            }
        }
    }

    mutating func bits(_ need: Int) throws(Gzip.Failure) -> Int {
        while bitCount < need {
            guard position < input.count else { throw Gzip.Failure(reason: "the compressed data ends early") }
            bitBuffer |= UInt32(input[position]) << UInt32(bitCount)
            position += 1
            bitCount += 8
        }
        let value = Int(bitBuffer & ((1 << UInt32(need)) - 1))
        bitBuffer >>= UInt32(need)
        bitCount -= need
        return value
    }

    mutating func decode(_ h: Huffman) throws(Gzip.Failure) -> Int {
        var code = 0, first = 0, index = 0
        for len in 1..<16 {
            code |= try bits(1)
            let count = h.counts[len]
            if code - count < first { return h.symbols[index + (code - first)] }
            index += count
            first += count
            first <<= 1
            code <<= 1
        }
        throw Gzip.Failure(reason: "invalid Huffman code")
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    static let fixed: (Huffman, Huffman) = {
        var lengths = [Int](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        return (Huffman(lengths: lengths), Huffman(lengths: [Int](repeating: 5, count: 30)))
    }()

    mutating func run(into out: inout [UInt8], maxBytes: Int) throws(Gzip.Failure) {
        var last = 0
        repeat {
            last = try bits(1)
            switch try bits(2) {
            case 0: try stored(into: &out)
            case 1: try codes(Self.fixed.0, Self.fixed.1, into: &out, maxBytes: maxBytes)
            case 2:
                let (literal, distance) = try dynamicTables()
                try codes(literal, distance, into: &out, maxBytes: maxBytes)
            default: throw Gzip.Failure(reason: "invalid block type")
            }
            if out.count > maxBytes { throw Gzip.Failure(reason: "more than \(maxBytes) bytes uncompressed") }
        } while last == 0
        // drop the partial byte
        bitBuffer = 0
        bitCount = 0
    }

    mutating func stored(into out: inout [UInt8]) throws(Gzip.Failure) {
        bitBuffer = 0
        bitCount = 0
        guard position + 4 <= input.count else { throw Gzip.Failure(reason: "the compressed data ends early") }
        let len = Int(input[position]) | Int(input[position + 1]) << 8
        let nlen = Int(input[position + 2]) | Int(input[position + 3]) << 8
        guard len == (~nlen & 0xFFFF) else { throw Gzip.Failure(reason: "stored block length does not match its complement") }
        position += 4
        guard position + len <= input.count else { throw Gzip.Failure(reason: "the compressed data ends early") }
        out.append(contentsOf: input[position..<(position + len)])
        position += len
    }

    mutating func dynamicTables() throws(Gzip.Failure) -> (Huffman, Huffman) {
        let nlen = try bits(5) + 257, ndist = try bits(5) + 1, ncode = try bits(4) + 4
        guard nlen <= 286, ndist <= 30 else { throw Gzip.Failure(reason: "bad counts in a dynamic block") }
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        var codeLengths = [Int](repeating: 0, count: 19)
        for i in 0..<ncode { codeLengths[order[i]] = try bits(3) }
        let lengthCode = try checked(Huffman(lengths: codeLengths))
        var lengths: [Int] = []
        while lengths.count < nlen + ndist {
            let symbol = try decode(lengthCode)
            if symbol < 16 {
                lengths.append(symbol)
                continue
            }
            var repeatValue = 0, times = 0
            switch symbol {
            case 16:
                guard let previous = lengths.last else { throw Gzip.Failure(reason: "repeat with no previous length") }
                repeatValue = previous
                times = 3 + (try bits(2))
            case 17: times = 3 + (try bits(3))
            default: times = 11 + (try bits(7))
            }
            guard lengths.count + times <= nlen + ndist else { throw Gzip.Failure(reason: "too many lengths in a dynamic block") }
            lengths += Array(repeating: repeatValue, count: times)
        }
        guard lengths[256] != 0 else { throw Gzip.Failure(reason: "no end-of-block code") }
        return (try checked(Huffman(lengths: Array(lengths[..<nlen]))), try checked(Huffman(lengths: Array(lengths[nlen...]))))
    }

    private func checked(_ h: Huffman) throws(Gzip.Failure) -> Huffman {
        if h.isOverSubscribed { throw Gzip.Failure(reason: "over-subscribed Huffman code") }
        return h
    }

    mutating func codes(_ literal: Huffman, _ distance: Huffman, into out: inout [UInt8], maxBytes: Int) throws(Gzip.Failure) {
        while true {
            var symbol = try decode(literal)
            if symbol < 256 {
                out.append(UInt8(symbol))
            } else if symbol == 256 {
                return
            } else {
                symbol -= 257
                guard symbol < 29 else { throw Gzip.Failure(reason: "invalid length code") }
                let length = Self.lengthBase[symbol] + (try bits(Self.lengthExtra[symbol]))
                let d = try decode(distance)
                guard d < 30 else { throw Gzip.Failure(reason: "invalid distance code") }
                let back = Self.distanceBase[d] + (try bits(Self.distanceExtra[d]))
                guard back <= out.count else { throw Gzip.Failure(reason: "distance too far back") }
                let from = out.count - back
                for i in 0..<length { out.append(out[from + i]) }
                if out.count > maxBytes { throw Gzip.Failure(reason: "more than \(maxBytes) bytes uncompressed") }
            }
        }
    }
}
