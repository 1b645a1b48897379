#!/usr/bin/env python3
"""End-to-end checks of `kql lsp` over stdio with real clients.

1. Neovim (headless, its built-in LSP client) runs e2e.lua against a real `.kql` file:
   diagnostics, hover, definition, completion, an edit, rename, a quick fix, formatting, shutdown.
2. The protocol's exit codes: 0 after `shutdown` + `exit`, 1 after `exit` alone; `--stdio` accepted.
3. Startup: the time from spawning `kql lsp` to the `initialize` answer (median of 20 runs).

Usage: editors/neovim/e2e.py [--kql target/debug/kql] [--startup-runs N]
Exit status 0 when everything passed. Prints "N passed, M failed" at the end.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

QUERY = """let threshold = 5;
DeviceProcessEvents
| where Timestamp > ago(45d)
| where ProcessCommandLine contains "powershell"
| summarize Count = count() by DeviceName
| where Count > threshold
"""


def frame(obj):
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def read_message(stream):
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    return json.loads(stream.read(length))


def initialize(kql, extra_args=()):
    """Spawns the server, sends initialize; returns (process, seconds to the answer)."""
    start = time.perf_counter()
    proc = subprocess.Popen([kql, "lsp", *extra_args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdin.write(frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                            "params": {"processId": None, "rootUri": None, "capabilities": {}}}))
    proc.stdin.flush()
    while True:
        msg = read_message(proc.stdout)
        if msg is None or msg.get("id") == 1:
            break
    elapsed = time.perf_counter() - start
    if msg is None or "result" not in msg:
        raise RuntimeError(f"no initialize answer: {msg}")
    return proc, elapsed


def exit_code_after(kql, shutdown):
    proc, _ = initialize(kql, ["--stdio"])
    proc.stdin.write(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
    if shutdown:
        proc.stdin.write(frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
        proc.stdin.flush()
        while (msg := read_message(proc.stdout)) is not None and msg.get("id") != 2:
            pass
    proc.stdin.write(frame({"jsonrpc": "2.0", "method": "exit"}))
    proc.stdin.flush()
    return proc.wait(timeout=20)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kql", default="target/debug/kql")
    ap.add_argument("--startup-runs", type=int, default=20)
    args = ap.parse_args()
    kql = os.path.abspath(args.kql)
    passed = failed = 0

    def result(name, ok, detail=""):
        nonlocal passed, failed
        print(("ok " if ok else "FAIL ") + name + (f": {detail}" if detail else ""))
        passed, failed = passed + ok, failed + (not ok)

    nvim = shutil.which("nvim")
    if nvim is None:
        result("neovim is installed", False, "nvim not found (apt-get install -y neovim)")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "hunt.kql")
            with open(path, "w") as f:
                f.write(QUERY)
            env = dict(os.environ, KQL_E2E_SERVER=kql, KQL_E2E_FILE=path)
            try:
                run = subprocess.run([nvim, "--headless", "-u", "NONE", "-c",
                                      "luafile " + os.path.join(HERE, "e2e.lua")],
                                     env=env, capture_output=True, text=True, timeout=180)
                lines = [l for l in run.stdout.splitlines() if l.startswith(("ok ", "FAIL "))]
                for line in lines:
                    ok = line.startswith("ok ")
                    result("neovim: " + line.split(" ", 1)[1], ok)
                if not lines or run.returncode not in (0, 1):
                    result("neovim ran the checks", False,
                           f"exit {run.returncode}; stdout {run.stdout[-2000:]!r}; stderr {run.stderr[-2000:]!r}")
            except subprocess.TimeoutExpired as e:
                result("neovim finished within 180 s", False, str(e))

    code = exit_code_after(kql, shutdown=True)
    result("exit code 0 after shutdown + exit (with --stdio)", code == 0, f"got {code}")
    code = exit_code_after(kql, shutdown=False)
    result("exit code 1 after exit without shutdown", code == 1, f"got {code}")

    times = []
    for _ in range(args.startup_runs):
        proc, t = initialize(kql)
        times.append(t * 1000)
        proc.kill()
        proc.wait()
    print(f"startup to initialize answered: median {statistics.median(times):.1f} ms, "
          f"max {max(times):.1f} ms over {len(times)} runs ({kql})")

    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
