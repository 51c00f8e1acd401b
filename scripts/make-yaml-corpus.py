#!/usr/bin/env python3
"""Writes the YAML round-trip corpus inputs into fixtures/yaml/cases/.

Each case is one small Kubernetes object (or stream) exercising one tricky
scalar or structure. Expected outputs are recorded separately from the
reference renderer with scripts/record-yaml-corpus.sh.
"""
import os, sys

HEAD = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: case\n"

def cm(body):
    return HEAD + body

CASES = {
    # Plain scalars that YAML 1.1 read as booleans: go-yaml v3 reads strings, prints them quoted.
    "bool-yes-plain": cm("data:\n  v: yes\n"),
    "bool-on-plain": cm("data:\n  v: on\n"),
    "bool-y-n-plain": cm("data:\n  a: y\n  b: n\n  c: Y\n  d: N\n"),
    "bool-off-no": cm("data:\n  a: off\n  b: no\n  c: NO\n  d: Off\n"),
    "bool-true-variants": cm("spec:\n  a: true\n  b: True\n  c: TRUE\n  d: false\n  e: False\n  f: FALSE\n"),
    "bool-quoted-strings": cm("data:\n  a: \"true\"\n  b: 'false'\n  c: \"yes\"\n  d: 'on'\n"),
    "key-y-and-n-quoted": cm("data:\n  \"y\": \"1\"\n  n: \"2\"\n  yes: \"3\"\n  on: \"4\"\n"),
    "null-variants": cm("spec:\n  a: ~\n  b: null\n  c: Null\n  d: NULL\n  e:\n  f: nULL\n"),
    "null-quoted": cm("data:\n  a: \"~\"\n  b: \"null\"\n  c: \"\"\n  d: ''\n"),
    "octal-legacy": cm("spec:\n  mode: 0755\n  other: 0644\n"),
    "octal-yaml12": cm("spec:\n  mode: 0o755\n  neg: -0o17\n"),
    "octal-quoted": cm("data:\n  mode: \"0755\"\n  other: '0644'\n"),
    "octal-invalid-digit": cm("spec:\n  a: 08\n  b: 09\n  c: 0089\n"),
    "hex-ints": cm("spec:\n  a: 0x1F\n  b: 0xff\n  c: -0x10\n  d: 0X1f\n"),
    "binary-ints": cm("spec:\n  a: 0b101\n  b: -0b11\n"),
    "underscored-numbers": cm("spec:\n  a: 1_000\n  b: 1__0\n  c: 0x_1F\n  d: _1\n  e: 1_000.5\n"),
    "float-one-point-zero": cm("spec:\n  a: 1.0\n  b: 2.50\n  c: 1.\n"),
    "float-exponents": cm("spec:\n  a: 1e3\n  b: 12e03\n  c: 0.5e+3\n  d: 1.5e-7\n  e: 3.0e5\n"),
    "float-leading-dot": cm("spec:\n  a: .5\n  b: +.5\n  c: -.25\n"),
    "float-large-g-format": cm("spec:\n  a: 123456789.5\n  b: 1234567890123.25\n  c: 1234567.5\n  d: 123456.5\n"),
    "float-small-g-format": cm("spec:\n  a: 0.000001\n  b: 0.0000001\n  c: 0.0001\n  d: 0.00012\n  e: 0.1\n"),
    "float-huge-integral": cm("spec:\n  a: 1e20\n  b: 1e21\n  c: 100000000000000000000\n  d: 12345678.0\n"),
    "float-quoted": cm("data:\n  a: \"1.0\"\n  b: '1e3'\n  c: \".5\"\n  d: \"1_000\"\n"),
    "float-negative-zero": cm("spec:\n  a: -0.0\n  b: -0\n  c: +0\n"),
    "int-limits": cm("spec:\n  a: 9223372036854775807\n  b: -9223372036854775808\n  c: 9223372036854775808\n  d: 18446744073709551615\n"),
    "int-beyond-uint64": cm("spec:\n  a: 123456789012345678901234567890\n  b: -9223372036854775809\n"),
    "int-signs": cm("spec:\n  a: +12\n  b: -12\n  c: +0x10\n  d: -007\n"),
    "int-32bit-edges": cm("spec:\n  a: 2147483648\n  b: 4294967296\n  c: -2147483649\n"),
    "not-numbers": cm("data:\n  a: 1e\n  b: 1,000\n  c: .inf_x\n  d: 1.2.3\n  e: 0x\n  f: \"+\"\n  g: a-\n  h: 1e3x\n"),
    "dates-plain": cm("spec:\n  a: 2001-12-14\n  b: 2002-1-2\n"),
    "datetimes-plain": cm("spec:\n  a: 2001-12-14t21:59:43.10-05:00\n  b: 2001-12-14T21:59:43Z\n  c: 2001-12-14 21:59:43.10\n  d: 2001-12-14T21:59:43+00:00\n  e: 2020-02-29T10:00:00.123456789Z\n"),
    "datetimes-not-timestamps": cm("spec:\n  a: 2001-12-14 21:59:43.10 -5\n  b: 2001-13-14\n  c: 2001-02-30\n  d: 20011-12-14\n  e: 2001-12-14T25:00:00Z\n"),
    "dates-quoted": cm("data:\n  a: \"2001-12-14\"\n  b: '2001-12-14T21:59:43Z'\n"),
    "sexagesimal": cm("data:\n  a: 1:20\n  b: 190:20:30.15\n  c: \"1:20\"\n  d: 12:60\n"),
    "tilde-and-quoting": cm("data:\n  a: \"~\"\n  b: a~b\n  c: ~x\n"),
    "leading-space": cm("data:\n  a: ' x'\n  b: '  two'\n"),
    "trailing-space": cm("data:\n  a: 'x '\n  b: 'a b  '\n"),
    "colon-space": cm("data:\n  a: 'a: b'\n  b: 'a:b'\n  c: 'key: value: more'\n  d: 'http://x.io:80/p'\n"),
    "hash-start": cm("data:\n  a: '#x'\n  b: 'a #b'\n  c: 'a#b'\n"),
    "indicator-start": cm("data:\n  a: '- x'\n  b: '-x'\n  c: '? q'\n  d: '@at'\n  e: '`tick'\n  f: '!bang'\n  g: '&amp'\n  h: '*star'\n  i: '%pct'\n  j: '|pipe'\n  k: '>gt'\n"),
    "flow-indicators": cm("data:\n  a: '[x]'\n  b: '{x}'\n  c: 'a,b'\n  d: 'a[0]'\n  e: 'x}'\n"),
    "quotes-inside": cm("data:\n  a: it's\n  b: 'say \"hi\"'\n  c: \"'quoted'\"\n  d: '\"dq\"'\n"),
    "backslashes": cm("data:\n  a: 'C:\\\\path\\\\x'\n  b: \"a\\\\b\"\n  c: 'regex \\\\d+'\n"),
    "multiline-clip": cm("data:\n  a: |\n    line one\n    line two\n"),
    "multiline-strip": cm("data:\n  a: |-\n    line one\n    line two\n"),
    "multiline-keep": cm("data:\n  a: |+\n    line one\n    line two\n\n"),
    "multiline-from-double-quoted": cm("data:\n  a: \"a\\nb\\n\"\n  b: \"a\\nb\"\n  c: \"\\n\"\n  d: \"\\n\\n\"\n"),
    "multiline-leading-space": cm("data:\n  a: \"  indented\\nnext\\n\"\n  b: \"\\nstarts with newline\"\n"),
    "multiline-trailing-space-line": cm("data:\n  a: \"a \\nb\\n\"\n  b: \"tab\\t\\nx\"\n"),
    "multiline-folded-input": cm("data:\n  a: >\n    folded one\n    folded two\n\n    para\n  b: >-\n    x\n    y\n"),
    "multiline-script": cm("data:\n  run.sh: |\n    #!/bin/sh\n    set -eu\n    echo \"hello: $1\"   # comment\n    exit 0\n"),
    "long-plain-folded": cm("data:\n  a: " + "word " * 30 + "end\n"),
    "long-no-spaces": cm("data:\n  a: " + "x" * 150 + "\n"),
    "long-single-quoted": cm("data:\n  a: ' " + "word " * 25 + "'\n"),
    "long-double-quoted": cm("data:\n  a: \"" + "tab\\t " * 20 + "\"\n"),
    "long-key": cm("data:\n  " + "k" * 130 + ": v\n  short: v\n"),
    "long-annotation-json": HEAD[:-1] + "\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"annotations\":{},\"name\":\"case\",\"namespace\":\"default\"},\"data\":{\"a\":\"b\"}}'\n",
    "unicode-plain": cm("data:\n  a: héllo wörld\n  b: 日本語\n  c: emoji 🎉 ok\n  d: ключ\n"),
    "unicode-keys": cm("data:\n  ключ: v\n  日本: v2\n  café: v3\n"),
    "unicode-escapes": cm("data:\n  a: \"\\u00e9\"\n  b: \"\\U0001F600\"\n  c: \"nbsp\\u00a0here\"\n"),
    "control-chars": cm("data:\n  a: \"a\\tb\"\n  b: \"bell\\a\"\n  c: \"soh\\x01\"\n  d: \"esc\\e[0m\"\n"),
    "control-char-del-refused": cm("data:\n  d: \"del\\x7f\"\n"),
    "control-char-c1-refused": cm("data:\n  d: \"csi\\x9b\"\n"),
    "special-unicode": cm("data:\n  a: \"bom\\ufeffx\"\n  b: \"line\\u2028sep\"\n  c: \"nel\\x85x\"\n"),
    "empty-map-and-list": cm("spec:\n  a: {}\n  b: []\n  c:\n    d: {}\n"),
    "empty-string-values": cm("data:\n  a: \"\"\n  b: ''\n"),
    "nested-lists": cm("spec:\n  a:\n  - - 1\n    - 2\n  - - 3\n  b:\n  - x: 1\n    y:\n    - z\n"),
    "flow-style-input": cm("spec:\n  a: [1, 2, {b: c, d: [e, f]}]\n  g: {h: i}\n"),
    "list-of-maps-in-map": cm("spec:\n  containers:\n  - name: a\n    image: nginx:1.25\n    ports:\n    - containerPort: 80\n      protocol: TCP\n"),
    "key-order-natural": cm("data:\n  a10: x\n  a9: x\n  a1: x\n  b: x\n  A: x\n  _u: x\n  \"1\": x\n  \"10\": x\n  \"2\": x\n  a01: x\n  a1-b: x\n  ab: x\n  -x: x\n  .dot: x\n"),
    "key-order-mixed": cm("data:\n  z.y: x\n  z-y: x\n  z_y: x\n  zY: x\n  zy: x\n  Z: x\n"),
    "keys-needing-quotes": cm("data:\n  \"true\": a\n  \"null\": b\n  \"1.5\": c\n  \"0x1\": d\n  \"~\": e\n  \"\": f\n  \" sp\": g\n  \"a: b\": h\n"),
    "comments-dropped": "# top comment\n" + HEAD + "data: # trailing\n  # inside\n  a: b # after\n  c: \"d # not a comment\"\n",
    "anchors-and-aliases": cm("spec:\n  base: &b\n    k: v\n    l: [1, 2]\n  copy: *b\n  scalar: &s text\n  again: *s\n"),
    "merge-keys": cm("spec:\n  defaults: &d\n    a: 1\n    b: 2\n  x:\n    <<: *d\n    b: 3\n  y:\n    <<: [*d, {c: 4}]\n"),
    "tags-explicit": cm("data:\n  a: !!str 123\n  b: !!str true\n  c: !!binary aGVsbG8=\nspec:\n  i: !!int \"12\"\n  f: !!float 1\n"),
    "document-markers": "---\n" + HEAD + "data:\n  a: b\n...\n",
    "multi-document-stream": HEAD + "---\n\n---\n# only a comment\n---\nnull\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  k: v\n",
    "list-kind-flattened": "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: b\n",
    "typed-list-kind-flattened": "apiVersion: v1\nkind: ConfigMapList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n  data:\n    k: v\n",
    "labels-unquoted-numbers": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: case\n  labels:\n    version: \"1.0\"\n    tier: \"3\"\n    enabled: \"true\"\n  annotations:\n    count: \"10\"\n",
    "deployment-realistic": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25.3\n        args: [\"--port\", \"8080\", \"--verbose=true\"]\n        env:\n        - name: MODE\n          value: \"on\"\n        - name: RATIO\n          value: \"0.5\"\n        resources:\n          limits: {cpu: 500m, memory: 128Mi}\n          requests: {cpu: \"1\", memory: 64Mi}\n",
    "crlf-line-endings": HEAD.replace("\n", "\r\n") + "data:\r\n  a: b\r\n",
    "tabs-in-values": cm("data:\n  a: \"col1\\tcol2\"\n  b: 'has\ttab'\n"),
    "windows-path-and-urls": cm("data:\n  a: C:\\Windows\n  b: https://example.com/a?b=c&d=e#frag\n  c: user@host:/path\n"),
    "percent-and-braces": cm("data:\n  a: '{{ .Values.x }}'\n  b: ${VAR}\n  c: 100%\n  d: a=b\n"),
}

def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "fixtures", "yaml", "cases")
    os.makedirs(out, exist_ok=True)
    for name, body in CASES.items():
        with open(os.path.join(out, name + ".yaml"), "w", newline="") as f:
            f.write(body)
    print(f"{len(CASES)} cases written to {out}")

if __name__ == "__main__":
    main()
