"""CPU of one storefront page or API read in this process, warm: through Django's WSGI handler
(every middleware, no network), so that a change's cost shows without a load tool's noise.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nm_bench REDIS_URL=redis://127.0.0.1:6379/9 \\
        python bench/page_cpu.py --product-near-lyon [--requests 1000] [--profile]
    python bench/page_cpu.py /c/bricolage/
    python bench/page_cpu.py /api/v1/products/ --api-key <an HQ key's secret>

The database holds the demo network (`manage.py load_demo`); `--product-near-lyon` is the page
bench/storefront_wrk.py measures (the first product in stock in Lyon, postal code 69002).
Prints the queries of one warm request, then the CPU and wall time per request; `--profile`
adds cProfile's view (CPU time, cumulative).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
for name, value in {
    "DEBUG": "false", "DEMO": "false", "PLAIN_HTTP": "true", "ALLOWED_HOSTS": "127.0.0.1",
    "SECRET_KEY": "bench-" + uuid.uuid4().hex, "API_THROTTLE_CLIENT": "10000000/min",
    "API_THROTTLE_ANONYMOUS": "10000000/min",
}.items():  # fmt: skip
    os.environ.setdefault(name, value)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", help="a path with its query string")
    parser.add_argument("--product-near-lyon", action="store_true")
    parser.add_argument("--api-key", default="")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog.models import Product

    path = args.path or "/"
    if args.product_near_lyon:
        product = (
            Product.objects.published()
            .filter(variants__stock_levels__store__city="Lyon",
                    variants__stock_levels__in_stock=True)
            .order_by("name")
            .first()
        )  # fmt: skip
        if product is None:
            raise SystemExit("No product in stock in Lyon: load the demo first.")
        path = f"/p/{product.slug}/?postal_code=69002"
    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest the pages name
    handler = WSGIHandler()
    address, _, query = path.partition("?")

    def request() -> None:
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": address, "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
            "SCRIPT_NAME": "", "wsgi.input": io.BytesIO(b""), "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }  # fmt: skip
        if args.api_key:
            environ["HTTP_AUTHORIZATION"] = f"Api-Key {args.api_key}"
        status: list[str] = []
        b"".join(handler(environ, lambda answer, headers, *_: status.append(answer)))
        if not status[0].startswith("200"):
            raise SystemExit(f"{path} answered {status[0]}")

    for _ in range(20):
        request()
    with CaptureQueriesContext(connection) as queries:
        request()
    print(f"{path}: {len(queries.captured_queries)} queries warm")
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(args.requests):
        request()
    print(
        f"per request: CPU {1000 * (time.process_time() - cpu) / args.requests:.2f} ms, "
        f"wall {1000 * (time.perf_counter() - wall) / args.requests:.2f} ms "
        f"({args.requests} requests, load average {os.getloadavg()[0]:.2f})"
    )
    if args.profile:
        profile = cProfile.Profile(time.process_time)
        profile.enable()
        for _ in range(args.requests):
            request()
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
