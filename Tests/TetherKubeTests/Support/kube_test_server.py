#!/usr/bin/env python3
"""A small scriptable Kubernetes-like API server for TetherKube's tests.

Listens on 127.0.0.1 port 0 (HTTP, or HTTPS with --cert/--key and optional client CA) and
prints the bound port on the first line of stdout. It serves discovery, an in-memory store
for a few resources with paging, watches with bookmarks and 410 Gone after compaction, and
control endpoints under /__control/ so a test can script responses (status codes,
Retry-After, delays, chunked streams), set accepted credentials and read the request log.
"""
import argparse, json, socket, ssl, sys, threading, time, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Condition()
STATE = {
    "rv": 100, "floor": 0, "objects": {}, "events": [], "scripts": [], "requests": [],
    "tokens": None, "basic": None, "client_cns": None,
    "resources": {
        "v1": [
            {"name": "configmaps", "singularName": "configmap", "namespaced": True, "kind": "ConfigMap", "verbs": ["get", "list", "create", "update", "patch", "delete", "watch"]},
            {"name": "namespaces", "singularName": "namespace", "namespaced": False, "kind": "Namespace", "verbs": ["get", "list", "create", "delete"]},
            {"name": "namespaces/status", "singularName": "", "namespaced": False, "kind": "Namespace", "verbs": ["get", "patch"]},
            {"name": "secrets", "singularName": "secret", "namespaced": True, "kind": "Secret", "verbs": ["get", "list", "create", "delete"]},
        ],
        "example.com/v1": [
            {"name": "widgets", "singularName": "widget", "namespaced": True, "kind": "Widget", "verbs": ["get", "list", "create", "patch", "delete", "watch"]},
        ],
    },
}

def status(code, reason, message, causes=None, details=None):
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}
    if causes is not None or details is not None:
        body["details"] = dict(details or {})
        if causes is not None:
            body["details"]["causes"] = causes
    return body

def merge(target, patch):
    if not isinstance(patch, dict) or not isinstance(target, dict):
        return patch
    result = dict(target)
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge(result.get(key), value)
    return result

def parse_path(path):
    """Returns (groupVersion, namespace, resource, name, subresource) or None."""
    parts = [urllib.parse.unquote(p) for p in path.strip("/").split("/")]
    if parts[:1] == ["api"] and len(parts) >= 2:
        gv, rest = parts[1], parts[2:]
    elif parts[:1] == ["apis"] and len(parts) >= 3:
        gv, rest = parts[1] + "/" + parts[2], parts[3:]
    else:
        return None
    namespace = ""
    if len(rest) >= 2 and rest[0] == "namespaces" and len(rest) != 2:
        namespace, rest = rest[1], rest[2:]
    if not rest:
        return None
    return gv, namespace, rest[0], rest[1] if len(rest) > 1 else None, rest[2] if len(rest) > 2 else None

def kind_of(gv, resource):
    for item in STATE["resources"].get(gv, []):
        if item["name"] == resource:
            return item["kind"], item["namespaced"]
    return None, False

def record_event(kind, obj):
    STATE["events"].append({"type": kind, "object": json.loads(json.dumps(obj))})
    LOCK.notify_all()

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, code, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def client_cn(self):
        try:
            cert = self.connection.getpeercert()
        except Exception:
            return None
        for rdn in (cert or {}).get("subject", ()):
            for key, value in rdn:
                if key == "commonName":
                    return value
        return None

    def handle_any(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if url.path.startswith("/__control/"):
            return self.control(url.path, raw)
        with LOCK:
            STATE["requests"].append({
                "method": self.command, "path": url.path, "query": query,
                "authorization": self.headers.get("Authorization"), "userAgent": self.headers.get("User-Agent"),
                "contentType": self.headers.get("Content-Type"), "clientCN": self.client_cn(),
                "body": raw.decode(errors="replace"), "time": time.time(), "clientPort": self.client_address[1]})
            script = None
            for index, item in enumerate(STATE["scripts"]):
                if item.get("method", self.command) == self.command and item.get("path", url.path) in (url.path, "*"):
                    script = STATE["scripts"].pop(index)
                    break
        if script is not None:
            return self.scripted(script)
        if not self.authorized():
            return self.send_json(401, status(401, "Unauthorized", "Unauthorized"))
        body = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                return self.send_json(400, status(400, "BadRequest", "body is not JSON"))
        return self.serve(url.path, query, body)

    def authorized(self):
        auth = self.headers.get("Authorization") or ""
        with LOCK:
            tokens, basic, cns = STATE["tokens"], STATE["basic"], STATE["client_cns"]
        if tokens is None and basic is None and cns is None:
            return True
        if tokens is not None and auth.startswith("Bearer ") and auth[7:] in tokens:
            return True
        if basic is not None and auth.startswith("Basic ") and auth[6:] in basic:
            return True
        if cns is not None and self.client_cn() in cns:
            return True
        return False

    def scripted(self, script):
        time.sleep(script.get("delay", 0))
        code = script.get("status", 200)
        headers = script.get("headers", {})
        if "generate" in script:
            return self.generated(script["generate"])
        if "chunks" in script:
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            for chunk in script["chunks"]:
                data = chunk.encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                self.wfile.flush()
                time.sleep(script.get("chunkDelay", 0))
            time.sleep(script.get("holdOpen", 0))
            self.wfile.write(b"0\r\n\r\n")
            return
        body = script.get("body", {})
        if isinstance(body, str):
            data = body.encode()
            self.send_response(code)
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)
        else:
            self.send_json(code, body, headers)

    def generated(self, spec):
        """Streams spec["count"] ADDED events of about spec["size"] bytes as a chunked watch
        body, counting in STATE["streamed"] how many were written: a write blocks once the
        socket buffers are full, which is how a test sees backpressure."""
        if spec.get("sndbuf"):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, spec["sndbuf"])
        with LOCK:
            STATE["streamed"] = 0
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        pad = "x" * spec["size"]
        for index in range(spec["count"]):
            event = {"type": "ADDED", "object": {"apiVersion": "v1", "kind": "ConfigMap",
                     "metadata": {"name": "g%d" % index, "namespace": "default", "resourceVersion": str(1000 + index)},
                     "data": {"pad": pad}}}
            data = (json.dumps(event) + "\n").encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            with LOCK:
                STATE["streamed"] = index + 1
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
        self.close_connection = True

    def control(self, path, raw):
        body = json.loads(raw) if raw else None
        with LOCK:
            if path == "/__control/script":
                STATE["scripts"].extend(body)
            elif path == "/__control/requests":
                return self.send_json(200, STATE["requests"])
            elif path == "/__control/streamed":
                return self.send_json(200, {"streamed": STATE.get("streamed", 0)})
            elif path == "/__control/auth":
                STATE["tokens"] = body.get("tokens")
                STATE["basic"] = body.get("basic")
                STATE["client_cns"] = body.get("clientCNs")
            elif path == "/__control/compact":
                STATE["floor"] = STATE["rv"]
            elif path == "/__control/resources":
                STATE["resources"].setdefault(body["groupVersion"], []).append(body["resource"])
            elif path == "/__control/event":
                STATE["rv"] += 1
                obj = body["object"]
                obj.setdefault("metadata", {})["resourceVersion"] = str(STATE["rv"])
                record_event(body["type"], obj)
        return self.send_json(200, {})

    def serve(self, path, query, body):
        if path == "/api":
            return self.send_json(200, {"kind": "APIVersions", "versions": ["v1"]})
        if path == "/apis":
            groups = []
            with LOCK:
                for gv in STATE["resources"]:
                    if "/" in gv:
                        group, version = gv.split("/")
                        groups.append({"name": group, "versions": [{"groupVersion": gv, "version": version}],
                                       "preferredVersion": {"groupVersion": gv, "version": version}})
            return self.send_json(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
        gv_path = path[len("/api/"):] if path.startswith("/api/") else path[len("/apis/"):]
        with LOCK:
            if gv_path in STATE["resources"]:
                return self.send_json(200, {"kind": "APIResourceList", "groupVersion": gv_path,
                                            "resources": STATE["resources"][gv_path]})
        parsed = parse_path(path)
        if parsed is None:
            return self.send_json(404, status(404, "NotFound", "the server could not find the requested resource"))
        gv, namespace, resource, name, sub = parsed
        kind, namespaced = kind_of(gv, resource)
        if kind is None:
            return self.send_json(404, status(404, "NotFound", "the server could not find the requested resource"))
        key_prefix = (gv, resource)
        if self.command == "GET" and name is None and query.get("watch") in ("true", "1"):
            return self.watch(key_prefix, namespace, query)
        if self.command == "GET" and name is None:
            return self.list(key_prefix, namespace, query, kind)
        if self.command == "POST" and name is None:
            return self.create(key_prefix, namespace, body, query, kind, gv)
        key = key_prefix + (namespace, name)
        with LOCK:
            current = STATE["objects"].get(key)
            dry = query.get("dryRun") == "All"
            if self.command == "GET":
                if current is None:
                    return self.send_json(404, status(404, "NotFound", '%s "%s" not found' % (resource, name), details={"name": name, "kind": resource}))
                return self.send_json(200, current)
            if self.command == "PUT":
                if current is None:
                    return self.send_json(404, status(404, "NotFound", '%s "%s" not found' % (resource, name)))
                want = (body.get("metadata") or {}).get("resourceVersion")
                if want and want != current["metadata"]["resourceVersion"]:
                    return self.send_json(409, status(409, "Conflict", 'Operation cannot be fulfilled on %s "%s": the object has been modified; please apply your changes to the latest version and try again' % (resource, name)))
                return self.store(key, body, "MODIFIED", dry, current)
            if self.command == "PATCH":
                ctype = self.headers.get("Content-Type")
                if ctype == "application/apply-patch+yaml" and not query.get("fieldManager"):
                    return self.send_json(422, status(422, "Invalid", "fieldManager is required for apply patch"))
                if current is None:
                    if ctype != "application/apply-patch+yaml":
                        return self.send_json(404, status(404, "NotFound", '%s "%s" not found' % (resource, name)))
                    return self.store(key, body, "ADDED", dry, None)
                if ctype == "application/json-patch+json":
                    updated = json.loads(json.dumps(current))
                    for op in body:
                        parts = op["path"].strip("/").split("/")
                        target = updated
                        for part in parts[:-1]:
                            target = target.setdefault(part, {})
                        if op["op"] in ("add", "replace"):
                            target[parts[-1]] = op["value"]
                        elif op["op"] == "remove":
                            target.pop(parts[-1], None)
                else:
                    updated = merge(current, body)
                return self.store(key, updated, "MODIFIED", dry, current)
            if self.command == "DELETE":
                if current is None:
                    return self.send_json(404, status(404, "NotFound", '%s "%s" not found' % (resource, name)))
                if not dry:
                    del STATE["objects"][key]
                    STATE["rv"] += 1
                    gone = json.loads(json.dumps(current))
                    gone["metadata"]["resourceVersion"] = str(STATE["rv"])
                    record_event("DELETED", gone)
                return self.send_json(200, {"kind": "Status", "apiVersion": "v1", "status": "Success",
                                            "details": {"name": name, "kind": resource}})
        return self.send_json(405, status(405, "MethodNotAllowed", "method not allowed"))

    def store(self, key, obj, event, dry, current):
        obj = json.loads(json.dumps(obj))
        meta = obj.setdefault("metadata", {})
        if key[2]:
            meta["namespace"] = key[2]
        meta["uid"] = (current or {}).get("metadata", {}).get("uid") or "uid-%d" % (STATE["rv"] + 1)
        if not dry:
            STATE["rv"] += 1
            meta["resourceVersion"] = str(STATE["rv"])
            STATE["objects"][key] = obj
            record_event(event, obj)
        code = 201 if event == "ADDED" else 200
        return self.send_json(code, obj)

    def create(self, key_prefix, namespace, body, query, kind, gv):
        name = (body.get("metadata") or {}).get("name")
        if not name:
            return self.send_json(422, status(422, "Invalid", '%s is invalid: metadata.name: Required value: name or generateName is required' % kind,
                                               causes=[{"reason": "FieldValueRequired", "message": "Required value: name or generateName is required", "field": "metadata.name"}],
                                               details={"kind": key_prefix[1]}))
        key = key_prefix + (namespace, name)
        with LOCK:
            if key in STATE["objects"]:
                return self.send_json(409, status(409, "AlreadyExists", '%s "%s" already exists' % (key_prefix[1], name)))
            return self.store(key, body, "ADDED", query.get("dryRun") == "All", None)

    def list(self, key_prefix, namespace, query, kind):
        with LOCK:
            items = [obj for key, obj in sorted(STATE["objects"].items())
                     if key[:2] == key_prefix and (not namespace or key[2] == namespace)]
            rv = str(STATE["rv"])
        selector = query.get("labelSelector")
        if selector:
            k, _, v = selector.partition("=")
            items = [i for i in items if (i["metadata"].get("labels") or {}).get(k) == v]
        start = int(query.get("continue") or 0) if query.get("continue") != "expired" else None
        if start is None:
            return self.send_json(410, status(410, "Expired", "The provided continue parameter is too old"))
        limit = int(query.get("limit") or 0)
        page = items[start:start + limit] if limit else items[start:]
        meta = {"resourceVersion": rv}
        if limit and start + limit < len(items):
            meta["continue"] = str(start + limit)
        self.send_json(200, {"kind": kind + "List", "apiVersion": "v1", "metadata": meta,
                             "items": [{k: v for k, v in i.items() if k not in ("apiVersion", "kind")} for i in page]})

    def watch(self, key_prefix, namespace, query):
        since = int(query.get("resourceVersion") or 0)
        deadline = time.time() + min(float(query.get("timeoutSeconds") or 5), 5)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def write(obj):
            data = (json.dumps(obj) + "\n").encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

        with LOCK:
            if since and since < STATE["floor"]:
                write({"type": "ERROR", "object": status(410, "Expired", "too old resource version: %d (%d)" % (since, STATE["floor"]))})
                self.wfile.write(b"0\r\n\r\n")
                return
        sent = since
        bookmarked = False
        while time.time() < deadline:
            with LOCK:
                pending = [e for e in STATE["events"] if int(e["object"]["metadata"]["resourceVersion"]) > sent]
                if not pending:
                    LOCK.wait(0.05)
            for event in pending:
                sent = int(event["object"]["metadata"]["resourceVersion"])
                meta = event["object"]["metadata"]
                if namespace and meta.get("namespace") != namespace:
                    continue
                write(event)
            if not bookmarked and query.get("allowWatchBookmarks") == "true":
                bookmarked = True
                with LOCK:
                    write({"type": "BOOKMARK", "object": {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"resourceVersion": str(max(sent, STATE["rv"]))}}})
        self.wfile.write(b"0\r\n\r\n")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--client-ca")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        if args.client_ca:
            context.load_verify_locations(args.client_ca)
            context.verify_mode = ssl.CERT_OPTIONAL
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    print(server.server_address[1], flush=True)
    # Exit when the test process goes away (stdin closes).
    threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
    server.serve_forever()

if __name__ == "__main__":
    main()
