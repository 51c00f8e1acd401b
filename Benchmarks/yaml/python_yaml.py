#!/usr/bin/env python3
"""Reference side of the YAML benchmark: PyYAML's libyaml-backed loader and
dumper on the same stream. Prints one JSON line of timings."""
import json, sys, time
import yaml

def main():
    path, repeats = sys.argv[1], int(sys.argv[2])
    data = open(path, "rb").read()
    best_load = best_dump = float("inf")
    docs = []
    for _ in range(repeats):
        t = time.perf_counter()
        docs = [d for d in yaml.load_all(data, Loader=yaml.CSafeLoader) if d is not None]
        best_load = min(best_load, time.perf_counter() - t)
    out = b""
    for _ in range(repeats):
        t = time.perf_counter()
        out = yaml.dump_all(docs, Dumper=yaml.CSafeDumper, default_flow_style=False, sort_keys=True).encode()
        best_dump = min(best_dump, time.perf_counter() - t)
    print(json.dumps({"documents": len(docs), "bytes": len(data), "load_s": best_load,
                      "dump_s": best_dump, "dump_bytes": len(out)}))

if __name__ == "__main__":
    main()
