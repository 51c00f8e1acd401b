#!/usr/bin/env python3
"""Generate Sources/CKubernetesTables/protobuf-table.txt (and its Swift accessor,
Sources/TetherEmulator/Protobuf/Generated/KubernetesProtobufTable.swift).

The table lets the emulator translate Kubernetes protobuf bodies
(`application/vnd.kubernetes.protobuf`) to the JSON objects it stores and
back. It holds, for every message of the Kubernetes v1.32 `generated.proto`
files, each field's number, JSON name, cardinality and type, plus a table
from group/version/kind to the message.

Inputs, read by path at generation time (nothing of them is committed):
  * ../shared/kubernetes-proto/  the v1.32 generated.proto files of
    k8s.io/api and k8s.io/apimachinery (field numbers and types);
  * the PyPI package kubernetes-validate (the v1.32 OpenAPI definitions),
    used for what the .proto files do not say: which fields Go inlines in
    JSON (`json:",inline"`, e.g. Volume.volumeSource) and which fields are
    required (a required field keeps its zero value in JSON).

Regenerate:

    scripts/install-deps.sh                 # kubernetes-validate into .venv
    .venv/bin/python scripts/gen-proto-table.py

The output is deterministic (sorted), so the same inputs give a
byte-identical file.

Line format (fields separated by '|', '-' means absent):
    M|<message>|<special>
    F|<number>|<jsonName>|<cardinality>|<type>|<flags>
    K|<group>|<version>|<kind>|<message>
F lines belong to the M line above them. Cardinality: o (optional),
r (repeated), m<keyType> (map). Type: a scalar (string, bytes, bool, int32,
int64) or @<message>. Flags: i (inlined into the parent's JSON object),
z (a zero value is kept in JSON: the field is required, or it is a pointer
whose zero differs from its default), '-' for none.
Specials: quantity, intstr, time, microtime, duration, raw (bytes holding
JSON: RawExtension, FieldsV1), list (a named slice such as ExtraValue,
JSON is the list of its `items`), '-' for ordinary messages.

Why the z flag is derived: protobuf (gogo, proto2) writes every non-pointer
field, zero or not, where Go's JSON drops zero `omitempty` fields. Decoding
keeps a zero only where JSON would: required fields, and optional fields
whose documented default is not the zero value (they must be pointers, or
defaulting could not tell unset from zero), plus POINTER_ZEROS below.
"""
import argparse
import json
import os
import re
import sys

# Package directory under k8s.io/api -> API group.
GROUPS = {
    "core": "", "apps": "apps", "batch": "batch", "autoscaling": "autoscaling", "policy": "policy",
    "rbac": "rbac.authorization.k8s.io", "networking": "networking.k8s.io", "storage": "storage.k8s.io",
    "scheduling": "scheduling.k8s.io", "coordination": "coordination.k8s.io", "node": "node.k8s.io",
    "discovery": "discovery.k8s.io", "events": "events.k8s.io", "certificates": "certificates.k8s.io",
    "authentication": "authentication.k8s.io", "authorization": "authorization.k8s.io",
    "admissionregistration": "admissionregistration.k8s.io", "flowcontrol": "flowcontrol.apiserver.k8s.io",
    "apiserverinternal": "internal.apiserver.k8s.io", "resource": "resource.k8s.io",
    "storagemigration": "storagemigration.k8s.io", "extensions": "extensions",
    "imagepolicy": "imagepolicy.k8s.io", "admission": "admission.k8s.io", "apidiscovery": "apidiscovery.k8s.io",
}
# Kinds of meta.k8s.io/v1 a client sends or receives as a body of its own.
META_KINDS = ["DeleteOptions", "Status", "APIGroup", "APIGroupList", "APIResourceList", "APIVersions",
              "WatchEvent", "PartialObjectMetadata", "PartialObjectMetadataList", "List"]
SPECIALS = {
    "k8s.io.apimachinery.pkg.api.resource.Quantity": "quantity",
    "k8s.io.apimachinery.pkg.util.intstr.IntOrString": "intstr",
    "k8s.io.apimachinery.pkg.apis.meta.v1.Time": "time",
    "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime": "microtime",
    "k8s.io.apimachinery.pkg.apis.meta.v1.Duration": "duration",
    "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1": "raw",
    "k8s.io.apimachinery.pkg.runtime.RawExtension": "raw",
}
# Pointer fields whose zero means something other than "unset" although
# their documentation names no default.
POINTER_ZEROS = {
    "DeploymentSpec.replicas", "ReplicaSetSpec.replicas", "StatefulSetSpec.replicas",
    "ReplicationControllerSpec.replicas", "JobSpec.parallelism", "JobSpec.completions", "JobSpec.backoffLimit",
    "JobSpec.activeDeadlineSeconds", "JobSpec.ttlSecondsAfterFinished", "PodSpec.terminationGracePeriodSeconds",
    "PodSpec.activeDeadlineSeconds", "PodSpec.automountServiceAccountToken", "PodSpec.priority",
    "ServiceAccount.automountServiceAccountToken", "ConfigMap.immutable", "Secret.immutable",
    "PodSecurityContext.runAsUser", "PodSecurityContext.runAsGroup", "PodSecurityContext.fsGroup",
    "SecurityContext.runAsUser", "SecurityContext.runAsGroup", "CronJobSpec.startingDeadlineSeconds",
}
DEFAULT_RE = re.compile(r"[Dd]efaults? (?:to|is) (?:'|\")?(\d+|true)")
FIELD_RE = re.compile(r"^\s*(optional|repeated)\s+(\S+)\s+(\w+)\s*=\s*(\d+)\s*;")
MAP_RE = re.compile(r"^\s*map<\s*(\w+)\s*,\s*(\S+)\s*>\s+(\w+)\s*=\s*(\d+)\s*;")
SCALARS = {"string", "bytes", "bool", "int32", "int64"}


def definitions():
    try:
        import kubernetes_validate
    except ImportError:
        sys.exit("kubernetes-validate is not installed. Run scripts/install-deps.sh, then use .venv/bin/python.")
    path = os.path.join(os.path.dirname(kubernetes_validate.__file__), "kubernetes-json-schema",
                        "v1.32.0-local", "_definitions.json")
    with open(path) as f:
        doc = json.load(f)
    return doc.get("$defs") or doc["definitions"]


def parse_proto(path):
    """Messages of one generated.proto: {full name: [(card, type, name, number, comment)]}."""
    package = None
    messages = {}
    current = None
    comment = []
    with open(path) as f:
        for line in f:
            s = line.strip()
            if s.startswith("package "):
                package = s[len("package "):].rstrip(";").strip()
            elif s.startswith("//"):
                comment.append(s[2:].strip())
                continue
            elif s.startswith("message "):
                current = package + "." + s.split()[1]
                messages[current] = {"fields": [], "comment": "\n".join(comment)}
            elif s == "}":
                current = None
            elif current:
                m = MAP_RE.match(line)
                if m:
                    messages[current]["fields"].append(("m" + m.group(1), qualify(m.group(2), package),
                                                        m.group(3), int(m.group(4)), "\n".join(comment)))
                else:
                    m = FIELD_RE.match(line)
                    if m:
                        card = "o" if m.group(1) == "optional" else "r"
                        messages[current]["fields"].append((card, qualify(m.group(2), package), m.group(3),
                                                            int(m.group(4)), "\n".join(comment)))
                    elif s and not s.startswith("option") and not s.startswith("reserved"):
                        sys.exit("%s: unexpected line inside message %s: %s" % (path, current, s))
            comment = []
    return package, messages


def qualify(name, package):
    if name in SCALARS:
        return name
    if name.startswith("."):
        return "@" + name[1:]
    return "@" + package + "." + name


def definition_name(message):
    return "io.k8s." + message[len("k8s.io."):]


def json_name(message, name, defs):
    """The JSON name of a proto field: the same but for a few (`Webhooks` is `webhooks`)."""
    props = defs.get(definition_name(message), {}).get("properties", {})
    if name in props:
        return name
    same = [p for p in props if p.lower() == name.lower()]
    return same[0] if len(same) == 1 else name


def json_names(message, defs, messages):
    """The JSON properties of a message; an embedded-only struct has no definition of its own."""
    d = defs.get(definition_name(message))
    if d is not None:
        return set(d.get("properties", {}))
    names = set()
    for f in messages[message]["fields"]:
        sub = f[1][1:]
        if f[1].startswith("@") and sub in messages and not SPECIALS.get(sub) \
                and definition_name(sub) not in defs:
            names |= json_names(sub, defs, messages)
        else:
            names.add(f[2])
    return names


def flags(message, field, defs, messages):
    card, type_, name, _, comment = field
    d = defs.get(definition_name(message), {})
    props = d.get("properties", {})
    name = json_name(message, name, defs)
    out = ""
    if name not in props and type_.startswith("@") and type_[1:] in messages and not SPECIALS.get(type_[1:]):
        # A Go embedded struct: its fields are the parent's JSON properties.
        inner = json_names(type_[1:], defs, messages)
        if inner and all(n in props for n in inner):
            out += "i"
        elif props:
            sys.exit("%s.%s: not a JSON property of %s and not inlined" % (message, name, definition_name(message)))
    if card == "o" and (name in d.get("required", []) or message.split(".")[-1] + "." + name in POINTER_ZEROS or pointer_default(comment)):
        out += "z"
    return out or "-"


def pointer_default(comment):
    m = DEFAULT_RE.search(comment)
    return bool(m) and m.group(1) not in ("0",)


def special(message, body):
    if message in SPECIALS:
        return SPECIALS[message]
    fields = body["fields"]
    if "+protobuf.nullable=true" in body["comment"] and len(fields) == 1 and fields[0][2] == "items" \
            and fields[0][0] == "r":
        return "list"
    return "-"


def generate(proto_root):
    defs = definitions()
    messages = {}
    kinds = []
    for dirpath, _, files in sorted(os.walk(proto_root)):
        if "generated.proto" not in files or "testapigroup" in dirpath:
            continue
        package, found = parse_proto(os.path.join(dirpath, "generated.proto"))
        messages.update(found)
        parts = package.split(".")
        if parts[:3] == ["k8s", "io", "api"] and len(parts) == 5:
            group, version = GROUPS[parts[3]], parts[4]
            for name, body in found.items():
                kind = name.split(".")[-1]
                field_names = [f[2] for f in body["fields"]]
                # Top-level kinds start with ObjectMeta (objects, and request kinds such as
                # TokenReview or Eviction); list kinds with ListMeta and items.
                if field_names[:1] == ["metadata"] or kind.endswith("List") and "items" in field_names:
                    kinds.append((group, version, kind, name))
    for kind in META_KINDS:
        kinds.append(("meta.k8s.io", "v1", kind, "k8s.io.apimachinery.pkg.apis.meta.v1." + kind))
    lines = []
    for name in sorted(messages):
        body = messages[name]
        lines.append("M|%s|%s" % (name, special(name, body)))
        for field in sorted(body["fields"], key=lambda f: f[3]):
            card, type_, fname, number, _ = field
            lines.append("F|%d|%s|%s|%s|%s" % (number, json_name(name, fname, defs), card, type_, flags(name, field, defs, messages)))
    for group, version, kind, name in sorted(set(kinds)):
        lines.append("K|%s|%s|%s|%s" % (group or "-", version, kind, name))
    return "\n".join(lines) + "\n"


SWIFT = '''// GENERATED by scripts/gen-proto-table.py from the Kubernetes v1.32 generated.proto files
// (k8s.io/api and k8s.io/apimachinery v0.32.13) and the v1.32 OpenAPI definitions
// (PyPI kubernetes-validate). Do not edit by hand; regenerate with the script.
import CKubernetesTables

extension ProtobufSchema {
    /// The message table, Sources/CKubernetesTables/protobuf-table.txt compiled into the
    /// binary; the line format is documented in scripts/gen-proto-table.py.
    static var kubernetesTable: String {
        var length = 0
        let bytes = tether_protobuf_table(&length)
        return String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
    }
}
'''


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--proto", default=os.path.join(here, "..", "..", "shared", "kubernetes-proto"),
                    help="the kubernetes-proto folder (default ../shared/kubernetes-proto)")
    ap.add_argument("--output", default=os.path.join(here, "..", "Sources", "CKubernetesTables", "protobuf-table.txt"),
                    help="the table (default Sources/CKubernetesTables/protobuf-table.txt)")
    ap.add_argument("--swift", default=os.path.join(here, "..", "Sources", "TetherEmulator", "Protobuf",
                                                    "Generated", "KubernetesProtobufTable.swift"),
                    help="the Swift accessor for the table")
    args = ap.parse_args()
    if not os.path.isdir(args.proto):
        sys.exit("%s not found: pass --proto with the folder of the v1.32 generated.proto files" % args.proto)
    text = generate(args.proto)
    for path, content in ((args.output, text), (args.swift, SWIFT)):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(content)
    print("wrote %s (%d lines) and %s" % (os.path.normpath(args.output), text.count("\n"), os.path.normpath(args.swift)))


if __name__ == "__main__":
    main()
