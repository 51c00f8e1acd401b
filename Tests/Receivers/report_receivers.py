#!/usr/bin/env python3
"""Stand-ins for the services `tether run` reports to, on 127.0.0.1, for the acceptance
tests (Tests/TetherCLITests/ReportingAcceptanceTests.swift). Each endpoint checks what the
real service documents and answers as it does; every request is recorded, with the
reasons it was refused, at GET /records (JSON).

  POST /webhook                          generic webhook: JSON body, X-Signature: sha256=HMAC-SHA256(key, body)
  POST /slack/services/T.../B.../X...    Slack incoming webhook (text, attachments); answers 200 "ok"
  POST /teams/workflows/...              Teams incoming webhook (Workflows): message with an Adaptive Card; 202
  POST /github/repos/O/R/statuses/SHA    GitHub REST "create a commit status" (Bearer token, API version header); 201
  POST /gitlab/projects/ID/statuses/SHA  GitLab REST "set the pipeline status of a commit" (PRIVATE-TOKEN); 201
  POST /v1/traces                        OTLP/HTTP protobuf ExportTraceServiceRequest (opentelemetry-proto); 200
  POST /slow/...                         answers 200 after --slow seconds (a receiver that hangs)

Usage: report_receivers.py --webhook-key FILE --github-token FILE --gitlab-token FILE [--slow SECONDS]
Prints "listening on 127.0.0.1:PORT" once it serves.
"""
import argparse
import hashlib
import hmac
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

SHA = re.compile(r"^[0-9a-f]{40}$")
records = []
lock = threading.Lock()


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read().strip()


def any_value(value):
    kind = value.WhichOneof("value")
    if kind == "string_value":
        return value.string_value
    if kind == "int_value":
        return value.int_value
    if kind == "bool_value":
        return value.bool_value
    if kind == "double_value":
        return value.double_value
    return None


def check_json(handler, errors):
    if not handler.headers.get("Content-Type", "").startswith("application/json"):
        errors.append("Content-Type is not application/json")
    try:
        return json.loads(handler.body)
    except ValueError as error:
        errors.append(f"body is not JSON: {error}")
        return None


def webhook(handler, errors):
    body = check_json(handler, errors)
    signature = handler.headers.get("X-Signature", "")
    expected = "sha256=" + hmac.new(handler.server.keys["webhook"].encode(), handler.body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(signature, expected):
        errors.append("X-Signature is missing or wrong")
        return 401, body
    if isinstance(body, dict):
        for field, kind in [("apiVersion", str), ("kind", str), ("severity", str), ("reason", str), ("target", str),
                            ("message", str), ("counts", dict), ("changes", list), ("timestamp", str)]:
            if not isinstance(body.get(field), kind):
                errors.append(f"field {field} missing or not {kind.__name__}")
        if body.get("kind") not in ("synced", "failed", "drift"):
            errors.append(f"kind {body.get('kind')!r} unknown")
        for change in body.get("changes") or []:
            if not isinstance(change.get("object"), str) or not isinstance(change.get("outcome"), str):
                errors.append("a change lacks object/outcome")
    return (400 if errors else 200), body


def slack(handler, errors):
    # https://api.slack.com/messaging/webhooks: a JSON payload with text (or blocks);
    # attachments are legacy but accepted; the answer is 200 "ok".
    body = check_json(handler, errors)
    if isinstance(body, dict):
        if not (isinstance(body.get("text"), str) and body["text"]) and not body.get("blocks"):
            errors.append("no text or blocks")  # Slack answers 400 no_text
        for attachment in body.get("attachments", []):
            if not isinstance(attachment, dict) or not ("text" in attachment or "fallback" in attachment or "title" in attachment):
                errors.append("an attachment has no text")
    return (400 if errors else 200), body


def teams(handler, errors):
    # Workflows "post to a channel when a webhook request is received": a message whose
    # attachments are Adaptive Cards; answered 202 Accepted.
    body = check_json(handler, errors)
    if isinstance(body, dict):
        if body.get("type") != "message":
            errors.append("type is not message")
        attachments = body.get("attachments")
        if not isinstance(attachments, list) or not attachments:
            errors.append("no attachments")
        for attachment in attachments or []:
            if attachment.get("contentType") != "application/vnd.microsoft.card.adaptive":
                errors.append("attachment is not an Adaptive Card")
            card = attachment.get("content") or {}
            if card.get("type") != "AdaptiveCard" or not isinstance(card.get("body"), list) or "version" not in card:
                errors.append("content is not an AdaptiveCard with version and body")
    return (400 if errors else 202), body


def github(handler, errors, match):
    # https://docs.github.com/rest/commits/statuses#create-a-commit-status
    auth = handler.headers.get("Authorization", "")
    if auth not in ("Bearer " + handler.server.keys["github"], "token " + handler.server.keys["github"]):
        errors.append("Authorization is not the token")
        return 401, None
    if not handler.headers.get("User-Agent"):
        errors.append("no User-Agent (GitHub refuses requests without one)")
    if handler.headers.get("Accept") != "application/vnd.github+json":
        errors.append("Accept is not application/vnd.github+json")
    if not handler.headers.get("X-GitHub-Api-Version"):
        errors.append("no X-GitHub-Api-Version")
    if not SHA.match(match.group("sha")):
        errors.append("sha is not 40 hex digits")
    body = check_json(handler, errors)
    if isinstance(body, dict):
        if body.get("state") not in ("error", "failure", "pending", "success"):
            errors.append(f"state {body.get('state')!r} is not error/failure/pending/success")
        if not isinstance(body.get("context"), str):
            errors.append("no context")
        if len(body.get("description") or "") > 140:
            errors.append("description over 140 characters")
    return (422 if errors else 201), body


def gitlab(handler, errors, match):
    # https://docs.gitlab.com/api/commits/#set-the-pipeline-status-of-a-commit
    if handler.headers.get("PRIVATE-TOKEN") != handler.server.keys["gitlab"]:
        errors.append("PRIVATE-TOKEN is not the token")
        return 401, None
    if not SHA.match(match.group("sha")):
        errors.append("sha is not 40 hex digits")
    body = check_json(handler, errors)
    if isinstance(body, dict):
        if body.get("state") not in ("pending", "running", "success", "failed", "canceled", "skipped"):
            errors.append(f"state {body.get('state')!r} is not a GitLab state")
        if not isinstance(body.get("name"), str):
            errors.append("no name")
    return (400 if errors else 201), body


def traces(handler, errors):
    if handler.headers.get("Content-Type") != "application/x-protobuf":
        errors.append("Content-Type is not application/x-protobuf")
        return 415, None
    request = trace_service_pb2.ExportTraceServiceRequest()
    try:
        request.ParseFromString(handler.body)
    except Exception as error:  # noqa: BLE001 (any decode failure is the finding)
        errors.append(f"not an ExportTraceServiceRequest: {error}")
        return 400, None
    spans = []
    for resource_spans in request.resource_spans:
        resource = {kv.key: any_value(kv.value) for kv in resource_spans.resource.attributes}
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                if len(span.trace_id) != 16 or len(span.span_id) != 8:
                    errors.append(f"span {span.name}: trace id or span id of the wrong length")
                if span.end_time_unix_nano < span.start_time_unix_nano:
                    errors.append(f"span {span.name} ends before it starts")
                spans.append({
                    "traceId": span.trace_id.hex(), "spanId": span.span_id.hex(), "parentSpanId": span.parent_span_id.hex(),
                    "name": span.name, "start": span.start_time_unix_nano, "end": span.end_time_unix_nano,
                    "attributes": {kv.key: any_value(kv.value) for kv in span.attributes},
                    "status": span.status.code, "statusMessage": span.status.message,
                    "resource": resource, "scope": scope_spans.scope.name,
                })
    return (400 if errors else 200), {"spans": spans}


ROUTES = [
    (re.compile(r"^/webhook$"), lambda h, e, m: webhook(h, e), "webhook"),
    (re.compile(r"^/slack/services/[^/]+/[^/]+/[^/]+$"), lambda h, e, m: slack(h, e), "slack"),
    (re.compile(r"^/teams/workflows/[^/]+$"), lambda h, e, m: teams(h, e), "teams"),
    (re.compile(r"^/github/repos/(?P<repo>[^/]+/[^/]+)/statuses/(?P<sha>[^/]+)$"), github, "github"),
    (re.compile(r"^/gitlab/projects/(?P<project>[^/]+)/statuses/(?P<sha>[^/]+)$"), gitlab, "gitlab"),
    (re.compile(r"^/v1/traces$"), lambda h, e, m: traces(h, e), "otlp"),
]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body=b"", content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/records":
            with lock:
                self.answer(200, json.dumps(records).encode())
        else:
            self.answer(404)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.body = self.rfile.read(length)
        if self.path.startswith("/slow/"):
            with lock:
                records.append({"service": "slow", "path": self.path, "status": 200, "errors": [], "body": None,
                                "raw": self.body.decode("latin-1"), "time": time.time()})
            time.sleep(self.server.slow)
            self.answer(200)
            return
        for pattern, handle, service in ROUTES:
            match = pattern.match(self.path)
            if match:
                break
        else:
            self.answer(404)
            return
        errors = []
        status, parsed = handle(self, errors, match)
        with lock:
            records.append({"service": service, "path": self.path, "status": status, "errors": errors, "body": parsed,
                            "raw": self.body.decode("latin-1"), "time": time.time()})
        if service == "otlp" and status == 200:
            self.answer(200, trace_service_pb2.ExportTraceServiceResponse().SerializeToString(), "application/x-protobuf")
        elif service == "slack" and status == 200:
            self.answer(200, b"ok", "text/plain")
        else:
            self.answer(status, json.dumps({"errors": errors}).encode())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--webhook-key", required=True)
    parser.add_argument("--github-token", required=True)
    parser.add_argument("--gitlab-token", required=True)
    parser.add_argument("--slow", type=float, default=60)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.keys = {"webhook": read(args.webhook_key), "github": read(args.github_token), "gitlab": read(args.gitlab_token)}
    server.slow = args.slow
    print(f"listening on 127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
