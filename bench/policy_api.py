"""Benchmark: POST /api/v1/policy/evaluate over real HTTP (p50/p95 latency).

Starts the development server on a scratch SQLite database in a temporary
folder, creates a bureau account, takes a token and sends N requests (with
and without trace) from this process. Prints figures; asserts nothing.

    .venv/bin/python bench/policy_api.py --requests 500
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAYLOAD = {
    "month": "2025-08",
    "cpi": {"all_yoy_pct": 1.2, "food_yoy_pct": 2.0},
    "household": {
        "id": "h1", "monetary_assets_yuan": "20000", "private_cars": 0, "homes": 1,
        "medical_out_of_pocket_12m_yuan": "1200",
        "members": [
            {"id": "p1", "birth_date": "1950-03-02", "monthly_income_yuan": "800",
             "disability": {"grade": 2, "kind": "肢体"}, "able_to_work": False},
            {"id": "p2", "birth_date": "1953-07-09", "monthly_income_yuan": "600"},
            {"id": "p3", "birth_date": "2012-01-31", "monthly_income_yuan": "0"},
        ],
    },
}


def _post(url: str, body: dict, token: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "MINZHENG_VAR_DIR": tmp,
               "DJANGO_SETTINGS_MODULE": "config.settings.local"}
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        subprocess.run([*manage, "shell", "-c",
                        "from minzheng.core.services import division_load_tree, user_create;"
                        "division_load_tree(actor='bench');"
                        "user_create(actor='bench', username='bench', password='bench-pass-1', role='bureau', scope_code='310117')"],
                       env=env, check=True)
        server = subprocess.Popen([*manage, "runserver", "--noreload", f"127.0.0.1:{args.port}"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{args.port}/api/v1"
            for _ in range(100):
                try:
                    status, body = _post(f"{base}/auth/token", {"username": "bench", "password": "bench-pass-1"})
                    break
                except OSError:
                    time.sleep(0.2)
            token = json.loads(body)["token"]
            for trace in (False, True):
                payload = {**PAYLOAD, "trace": trace}
                for _ in range(20):  # warm-up
                    _post(f"{base}/policy/evaluate", payload, token)
                timings = []
                for _ in range(args.requests):
                    started = time.perf_counter()
                    status, _ = _post(f"{base}/policy/evaluate", payload, token)
                    timings.append((time.perf_counter() - started) * 1000)
                    assert status == 200, status
                timings.sort()
                p95 = timings[int(0.95 * len(timings)) - 1]
                print(f"POST /api/v1/policy/evaluate trace={trace}: n={len(timings)} "
                      f"p50={statistics.median(timings):.1f} ms p95={p95:.1f} ms max={timings[-1]:.1f} ms")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
