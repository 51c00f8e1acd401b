import Testing
import TetherTemplate
@testable import TetherHelm

/// Sprig behaviour beyond Sprig's own test cases, for the families written natively here
/// (RE2 regex syntax and matching loops, Masterminds semver constraints, Go time layouts and
/// durations, net/url, hashes, AES round trips, xstrings camelcase). Each expectation is what
/// Go 1.19 with Sprig 3.2.3 (Debian's golang-github-masterminds-sprig-dev) printed for the
/// template, run with `missingkey=zero` as Helm does; errors are the text after
/// `error calling NAME: `. Time-zone-dependent output uses explicit zones only.
@Suite("Sprig differential cases (Go + Sprig 3.2.3)")
struct SprigDifferentialTests {
    struct Case: CustomStringConvertible, Sendable {
        var template: String
        var expected: String?
        var error: String?
        init(_ template: String, expected: String) { self.template = template; self.expected = expected }
        init(_ template: String, error: String) { self.template = template; self.error = error }
        var description: String { template }
    }

    static let cases: [Case] = [
        .init("{{ regexFindAll \"a*\" \"baaab\" -1 }}", expected: "[ aaa ]"),
        .init("{{ regexFindAll \"[0-9]+\" \"a1b22c333\" 2 }}", expected: "[1 22]"),
        .init("{{ regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"${1}W\" }}", expected: "-W-xxW-"),
        .init("{{ regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"$1W\" }}", expected: "---"),
        .init("{{ regexReplaceAll \"(?P<first>\\\\w+) (?P<last>\\\\w+)\" \"John Smith\" \"$last, $first\" }}", expected: "Smith, John"),
        .init("{{ regexReplaceAllLiteral \"a(x*)b\" \"-ab-axxb-\" \"${1}\" }}", expected: "-${1}-${1}-"),
        .init("{{ regexReplaceAll \"x*\" \"abc\" \"-\" }}", expected: "-a-b-c-"),
        .init("{{ regexReplaceAll \"^\" \"line1\\nline2\" \">\" }}", expected: ">line1\nline2"),
        .init("{{ regexReplaceAll \"(?m)^\" \"line1\\nline2\" \">\" }}", expected: ">line1\n>line2"),
        .init("{{ regexReplaceAll \"$\" \"line1\\n\" \"<\" }}", expected: "line1\n<"),
        .init("{{ regexSplit \"a*\" \"abaabaccadaaae\" 5 }}", expected: "[ b b c cadaaae]"),
        .init("{{ regexSplit \"\" \"abc\" -1 }}", expected: "[a b c]"),
        .init("{{ regexSplit \",\" \"\" -1 | len }}", expected: "1"),
        .init("{{ regexMatch \"^[a-z]+\\\\[[0-9]+\\\\]$\" \"adam[23]\" }}", expected: "true"),
        .init("{{ regexMatch \"\\\\d\" \"٣\" }}", expected: "false"),
        .init("{{ regexMatch \"\\\\bfoo\\\\b\" \"a foo b\" }}", expected: "true"),
        .init("{{ regexMatch \"(?i)HELLO\" \"hello\" }}", expected: "true"),
        .init("{{ regexMatch \"[[:alpha:]]+\" \"123\" }}", expected: "false"),
        .init("{{ regexFind \"[^a-c]+\" \"abcxyzabc\" }}", expected: "xyz"),
        .init("{{ regexFind \"a.c\" \"a\\nc\" }}", expected: ""),
        .init("{{ regexFind \"(?s)a.c\" \"a\\nc\" }}", expected: "a\nc"),
        .init("{{ regexFind \"(?U)a+\" \"aaa\" }}", expected: "a"),
        .init("{{ regexFind \"a{2,3}\" \"aaaa\" }}", expected: "aaa"),
        .init("{{ regexFind \"a{,3}\" \"a{,3}\" }}", expected: "a{,3}"),
        .init("{{ regexFind \"[]a]+\" \"]a]b\" }}", expected: "]a]"),
        .init("{{ regexFind \"\\\\Q.*\\\\E+\" \"x.*.*\" }}", expected: ".*"),
        .init("{{ regexFind \"\\\\x41\\\\x{42}\" \"zABz\" }}", expected: "AB"),
        .init("{{ mustRegexMatch \"(?=x)\" \"x\" }}", error: "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"),
        .init("{{ mustRegexMatch \"a**\" \"x\" }}", error: "error parsing regexp: invalid nested repetition operator: `**`"),
        .init("{{ mustRegexMatch \"(a\" \"x\" }}", error: "error parsing regexp: missing closing ): `(a`"),
        .init("{{ mustRegexMatch \"a)\" \"x\" }}", error: "error parsing regexp: unexpected ): `a)`"),
        .init("{{ mustRegexMatch \"\\\\1\" \"x\" }}", error: "error parsing regexp: invalid escape sequence: `\\1`"),
        .init("{{ mustRegexMatch \"[z-a]\" \"x\" }}", error: "error parsing regexp: invalid character class range: `z-a`"),
        .init("{{ mustRegexMatch \"x{1001}\" \"x\" }}", error: "error parsing regexp: invalid repeat count: `{1001}`"),
        .init("{{ regexMatch \"(a\" \"x\" }}", expected: "false"),
        .init("{{ regexQuoteMeta \"a+b{c}[d]$^\\\\\" }}", expected: "a\\+b\\{c\\}\\[d\\]\\$\\^\\\\"),
        .init("{{ semver \"v1.2\" }}", expected: "1.2.0"),
        .init("{{ (semver \"v1.2.3\").Original }}", expected: "v1.2.3"),
        .init("{{ semverCompare \">=1.2.3, <2\" \"1.5.0\" }}", expected: "true"),
        .init("{{ semverCompare \"~1.2.3\" \"1.3.0\" }}", expected: "false"),
        .init("{{ semverCompare \"~1.2\" \"1.2.9\" }}", expected: "true"),
        .init("{{ semverCompare \"^0.2.3\" \"0.2.9\" }}", expected: "true"),
        .init("{{ semverCompare \"^0.2.3\" \"0.3.0\" }}", expected: "false"),
        .init("{{ semverCompare \"1.2 - 1.4.5\" \"1.4.5\" }}", expected: "true"),
        .init("{{ semverCompare \"1.2 - 1.4.5\" \"1.4.6\" }}", expected: "false"),
        .init("{{ semverCompare \">1.2.x\" \"1.3.0\" }}", expected: "true"),
        .init("{{ semverCompare \"1.x || >=3\" \"2.0.0\" }}", expected: "false"),
        .init("{{ semverCompare \"1.x || >=3\" \"3.1.0\" }}", expected: "true"),
        .init("{{ semverCompare \">=1.2.3\" \"1.3.0-beta.1\" }}", expected: "false"),
        .init("{{ semverCompare \">=1.2.3-0\" \"1.3.0-beta.1\" }}", expected: "true"),
        .init("{{ semverCompare \"!=1.2.3\" \"1.2.4\" }}", expected: "true"),
        .init("{{ semverCompare \"*\" \"1.2.4\" }}", expected: "true"),
        .init("{{ semverCompare \">= 1.21.0-0\" \"v1.27.3-eks-a5565ad\" }}", expected: "true"),
        .init("{{ (semver \"1.2.3-alpha.10\").Compare (semver \"1.2.3-alpha.9\") }}", expected: "1"),
        .init("{{ (semver \"1.2.3-alpha\").Compare (semver \"1.2.3-alpha.1\") }}", expected: "-1"),
        .init("{{ mustRegexMatch \"x\" \"x\" }}", expected: "true"),
        .init("{{ duration \"0\" }}|{{ duration \"3601\" }}|{{ duration \"-90\" }}", expected: "0s|1h0m1s|-1m30s"),
        .init("{{ durationRound \"1.5ms\" }}|{{ durationRound \"90s\" }}|{{ durationRound \"-48h1s\" }}|{{ durationRound \"bogus\" }}", expected: "0s|1m|2d|0s"),
        .init("{{ dateInZone \"Monday January _2 06 002 pm\" 0 \"UTC\" }}", expected: "Thursday January  1 70 001 am"),
        .init("{{ dateInZone \"2006-01-02 15:04 -0700 MST\" 1700000000 \"America/New_York\" }}", expected: "2023-11-14 17:13 -0500 EST"),
        .init("{{ dateInZone \"2006-01-02 15:04 MST\" 1700000000 \"Bogus/Zone\" }}", expected: "2023-11-14 22:13 UTC"),
        .init("{{ toDate \"2006-01-02\" \"2017-12-31\" | date \"Jan 2, 2006\" }}", expected: "Dec 31, 2017"),
        .init("{{ toDate \"2006-01-02T15:04:05Z07:00\" \"2020-05-06T07:08:09+02:00\" | unixEpoch }}", expected: "1588741689"),
        .init("{{ toDate \"02 Jan 06 15:04\" \"10 Feb 21 23:59\" | date \"2006-01-02 15:04:05\" }}", expected: "2021-02-10 23:59:00"),
        .init("{{ dateModify \"1h30m\" (toDate \"2006-01-02\" \"2017-12-31\") | date \"2006-01-02 15:04\" }}", expected: "2017-12-31 01:30"),
        .init("{{ dateModify \"-1.5h\" (toDate \"2006-01-02\" \"2017-12-31\") | date \"2006-01-02 15:04\" }}", expected: "2017-12-30 22:30"),
        .init("{{ mustToDate \"2006-01-02\" \"2017-13-31\" }}", error: "parsing time \"2017-13-31\": month out of range"),
        .init("{{ urlParse \"https://user:p%40ss@example.com:8443/a%20b/c?x=1&y=2#frag%20x\" }}", expected: "map[fragment:frag x host:example.com:8443 hostname:example.com opaque: path:/a b/c query:x=1&y=2 scheme:https userinfo:user:p%40ss]"),
        .init("{{ urlParse \"mailto:joe@example.com\" }}", expected: "map[fragment: host: hostname: opaque:joe@example.com path: query: scheme:mailto userinfo:]"),
        .init("{{ urlParse \"/relative/path?q\" }}", expected: "map[fragment: host: hostname: opaque: path:/relative/path query:q scheme: userinfo:]"),
        .init("{{ urlJoin (dict \"scheme\" \"https\" \"host\" \"example.com\" \"path\" \"a b/c\" \"query\" \"x=1\") }}", expected: "https://example.com/a%20b/c?x=1"),
        .init("{{ urlJoin (dict \"path\" \"a:b\") }}", expected: "./a:b"),
        .init("{{ urlJoin (dict \"scheme\" \"https\" \"host\" \"h\" \"fragment\" \"a b!\") }}", expected: "https://h#a%20b!"),
        .init("{{ \"hello\" | sha1sum }}|{{ \"\" | sha256sum }}|{{ \"Wikipedia\" | adler32sum }}", expected: "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d|e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855|300286872"),
        .init("{{ encryptAES \"k\" \"\" }}|{{ decryptAES \"k\" \"\" }}", expected: "|"),
        .init("{{ \"a very long plaintext that spans several AES blocks\" | encryptAES \"a-password-longer-than-thirty-two-bytes!!\" | decryptAES \"a-password-longer-than-thirty-two-bytes!!\" }}", expected: "a very long plaintext that spans several AES blocks"),
        .init("{{ camelcase \"GOLANG_IS_GREAT\" }}|{{ camelcase \"some words-here\" }}|{{ camelcase \"\" }}", expected: "GolangIsGreat|SomeWordsHere|"),
        .init(#"{{ derivePassword 1 "long" "password" "user" "example.com" }}|{{ derivePassword 3 "pin" "pw" "u" "s" }}|{{ derivePassword 1 "bogus" "pw" "u" "s" }}|{{ uuidv4 | len }}"#,
              expected: "ZedaFaxcZaso9*|7979|cannot find password template bogus|36"),
    ]

    @Test("renders as Go's Sprig does", arguments: cases)
    func renders(_ c: Case) throws {
        let probe = SprigCaseTests.Case(name: c.template, template: c.template, expected: c.expected, error: c.error, vars: .null)
        if let expected = c.expected {
            let out = try SprigCaseTests.render(probe)
            #expect(out == expected, "got \(out)")
        } else {
            let error = #expect(throws: (any Error).self) { try SprigCaseTests.render(probe) }
            let text = error.map { String(describing: $0) } ?? ""
            #expect(text.contains(c.error ?? "?"), "\(text)")
        }
    }
}
