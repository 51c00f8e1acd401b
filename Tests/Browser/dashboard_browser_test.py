#!/usr/bin/env python3
"""Browser test of the dashboard: headless Chromium through chromedriver (W3C WebDriver over
HTTP on 127.0.0.1, no Python packages needed) against a running `tether run`.

Usage: dashboard_browser_test.py DASHBOARD_URL TARGET KUBECONFIG SCREENSHOT_DIR REPO

Checks: the overview lists the target as synced and healthy; after `kubectl scale` on the
storefront Deployment, the target page shows the drift and its correction without a reload
within 2 s; after a new commit to REPO (the overlay gains a Secret), the history shows it,
and the Secret's diff page shows its value masked. Saves dashboard-overview.png and
dashboard-target.png in SCREENSHOT_DIR. Exits non-zero on failure.
"""
import base64, json, os, socket, subprocess, sys, time, urllib.request

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

class Driver:
    def __init__(self):
        self.port = free_port()
        self.proc = subprocess.Popen(["chromedriver", f"--port={self.port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                self.call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1900"]}}}}
        self.session = self.call("POST", "/session", caps)["value"]["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"{}")

    def go(self, url): self.call("POST", f"/session/{self.session}/url", {"url": url})
    def js(self, script): return self.call("POST", f"/session/{self.session}/execute/sync", {"script": script, "args": []})["value"]
    def screenshot(self, path):
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.call("GET", f"/session/{self.session}/screenshot")["value"]))
    def quit(self):
        try: self.call("DELETE", f"/session/{self.session}")
        finally: self.proc.terminate()

def main():
    url, target, kubeconfig, shots, repo = sys.argv[1:6]
    os.makedirs(shots, exist_ok=True)
    driver = Driver()
    failures = []
    try:
        driver.go(url + "/")
        row = driver.js("var r=[...document.querySelectorAll('#targets tbody tr')].map(t=>t.innerText); return r.join('\\n');")
        print("overview:", row.replace("\t", " | "))
        if target not in row or "synced" not in row or "healthy" not in row:
            failures.append(f"the overview does not list {target} as synced and healthy: {row!r}")
        driver.screenshot(os.path.join(shots, "dashboard-overview.png"))
        driver.go(f"{url}/targets/{target}")
        marker = "window.__notReloaded = true; return document.getElementById('live').textContent;"
        for _ in range(50):
            if driver.js(marker) == "live": break
            time.sleep(0.1)
        rows = "return document.querySelectorAll('#drift tbody tr:not(:has(td.empty))').length"
        before = driver.js(rows)
        env = dict(os.environ, KUBECONFIG=kubeconfig)
        subprocess.run(["kubectl", "-n", "shop", "scale", "deployment", "storefront", "--replicas=5"], check=True, env=env)
        start = time.monotonic()
        seen, count = "", before
        while time.monotonic() - start < 2.0:
            # The newest event is the first row: a new one, for storefront, corrected.
            count, seen = driver.js("var r = document.querySelector('#drift tbody tr'); "
                                    "return [document.querySelectorAll('#drift tbody tr:not(:has(td.empty))').length, r ? r.innerText : '']")
            if count > before and "storefront" in seen and "\tcorrected" in seen: break
            time.sleep(0.05)
        elapsed = time.monotonic() - start
        print(f"drift table after {elapsed:.2f} s: {seen!r}")
        if not (count > before and "storefront" in seen and "\tcorrected" in seen):
            failures.append(f"the drift and its correction were not shown within 2 s (before: {before} cells): {seen!r}")
        if driver.js("return window.__notReloaded === true") is not True:
            failures.append("the page reloaded")
        driver.screenshot(os.path.join(shots, "dashboard-target.png"))
        failures += new_commit(driver, url, target, repo)
    finally:
        driver.quit()
    for failure in failures: print("FAIL:", failure)
    checks = 4
    print(f"{checks - min(checks, len(failures))} passed, {min(checks, len(failures))} failed")
    return 1 if failures else 0

SECRET_VALUE = "hunter2-browser-test"

def new_commit(driver, url, target, repo):
    """Commits a Secret into the overlay; the history must list the commit without a reload,
    and the Secret's diff must not show its value."""
    overlay = os.path.join(repo, "overlays", "aws")
    with open(os.path.join(overlay, "db-secret.yaml"), "w") as f:
        f.write("apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\n"
                f"stringData:\n  password: {SECRET_VALUE}\n")
    path = os.path.join(overlay, "kustomization.yaml")
    text = open(path).read().replace("- ../../base\n", "- ../../base\n- db-secret.yaml\n", 1)
    open(path, "w").write(text)
    git = ["git", "-C", repo, "-c", "user.name=Dana Example", "-c", "user.email=dana@example.com"]
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "Add the database Secret"], check=True)
    failures = []
    first = ""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        first = driver.js("var r = document.querySelector('#history tbody tr'); return r ? r.innerText : ''")
        if "Add the database Secret" in first: break
        time.sleep(0.2)
    print("newest history row:", first.replace("\t", " | "))
    if "Add the database Secret" not in first or "succeeded" not in first:
        failures.append(f"the history does not show the new commit as synced: {first!r}")
    if driver.js("return window.__notReloaded === true") is not True:
        failures.append("the page reloaded before the history showed the commit")
    driver.go(f"{url}/targets/{target}/diff/Secret/shop/db")
    page = driver.js("return document.body.innerText")
    print("Secret diff page:", page.replace("\n", " / ")[:300])
    if SECRET_VALUE in page or "***" not in page or "password" not in page:
        failures.append("the Secret's diff page does not show the value masked as ***")
    return failures

if __name__ == "__main__":
    sys.exit(main())
