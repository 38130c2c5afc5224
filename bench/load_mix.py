"""The customers' mix for locust (issue 16): what bench/load.py runs against gunicorn, and what
tests/bench/test_load.py runs for a few seconds against a live server so it cannot rot.

    python -m locust -f bench/load_mix.py --headless --host http://127.0.0.1:44010 -u 8 -r 8 -t 60s

The URLs come from a JSON file named by NM_LOAD_CONFIG (bench/load.py writes it from the
database served): category slugs, product slugs, search words, postal codes near stores, and an
HQ API key for the API reads. Every request goes to --host, which must be 127.0.0.1 or
localhost: this file refuses any other.

Users:
- Browser: the home page, a category, a product page with a postal code (its "near you" stores),
  a search; most of the traffic.
- Buyer (NM_LOAD_BUYERS of the users, default 1): a product page with a postal code,
  adds one unit to the cart (click & collect at a store the page offers, else home delivery),
  opens the checkout page and places the order with the test card, as a browser does (the
  session and CSRF cookies, the form's own fields and pickup slot).
- ApiReader (NM_LOAD_API_READERS users, default 1): `/api/v1/products/` with the HQ key.
Name the classes to run on the command line (bench/load.py does):
- Trivial: `/healthz/live`, the same-run baseline.
- OnePage: one page type alone, NM_LOAD_PAGE (home, category, product,
  search, api), the way wrk measured each page in the issue.

A request counts as failed when its answer is not the one a customer gets on success: a cart
addition that does not land on the cart, a checkout that does not land on the confirmation.
NM_LOAD_MAX_REQUESTS bounds the run: locust stops when that many requests were made;
NM_LOAD_UNTIL_SEEN (request names, comma-separated) stops it once each has answered (the test).
The final figures go to NM_LOAD_SUMMARY (JSON) when it is set.
"""

from __future__ import annotations

import json
import os
import random
import re
import uuid
from html.parser import HTMLParser
from urllib.parse import urlsplit

import gevent
from locust import FastHttpUser, between, constant, events, task

ALLOWED_HOSTS = {"127.0.0.1", "localhost"}
PAGES = ("home", "category", "product", "search", "api")


def _config() -> dict:
    path = os.environ.get("NM_LOAD_CONFIG")
    if not path:
        raise SystemExit("NM_LOAD_CONFIG must name the mix's JSON file (bench/load.py writes it)")
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


CONFIG = _config()
MAX_REQUESTS = int(os.environ.get("NM_LOAD_MAX_REQUESTS", "0"))
# No think time by default: like wrk's clients, each user sends its next request as soon as it
# has the answer, so N users are N requests in flight.
THINK = float(os.environ.get("NM_LOAD_THINK_SECONDS", "0"))


@events.init.add_listener
def _check_host(environment, **_kwargs):
    host = urlsplit(environment.host or "").hostname
    if host not in ALLOWED_HOSTS:
        raise SystemExit(f"the load test only talks to 127.0.0.1 (given {environment.host!r})")


@events.init.add_listener
def _bound(environment, **_kwargs):
    """Stop the run after NM_LOAD_MAX_REQUESTS requests (the time limit is locust's -t), or as
    soon as every request name of NM_LOAD_UNTIL_SEEN (comma-separated) has answered once."""
    waited = {name for name in os.environ.get("NM_LOAD_UNTIL_SEEN", "").split(",") if name}
    if not MAX_REQUESTS and not waited:
        return
    stopping: list = []

    @environment.events.request.add_listener
    def _count(name, **_kwargs):
        waited.discard(name)
        runner = environment.runner
        if runner is None or runner.state != "running":
            return
        done = (MAX_REQUESTS and runner.stats.total.num_requests >= MAX_REQUESTS) or (
            not waited and os.environ.get("NM_LOAD_UNTIL_SEEN")
        )
        if done and not stopping:
            # From its own greenlet: quitting stops the users, this one among them.
            stopping.append(gevent.spawn(runner.quit))


@events.quitting.add_listener
def _summary(environment, **_kwargs):
    """Write the final figures to NM_LOAD_SUMMARY (JSON): per request name, and "Aggregated"."""
    path = os.environ.get("NM_LOAD_SUMMARY")
    if not path:
        return
    stats = environment.stats
    rows = {}
    for entry in [*stats.entries.values(), stats.total]:
        rows[entry.name] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": entry.total_rps,
            "p50": entry.get_response_time_percentile(0.5) or 0,
            "p95": entry.get_response_time_percentile(0.95) or 0,
            "p99": entry.get_response_time_percentile(0.99) or 0,
        }
    failures = [
        f"{error.name}: {error.error} x{error.occurrences}" for error in stats.errors.values()
    ]
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"stats": rows, "failures": failures}, handle)


class Forms(HTMLParser):
    """The page's forms: action, method, and their fields (inputs, selects with their first or
    selected option, checkboxes), enough to post them as a browser would."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "action": attributes.get("action") or "",
                    "method": (attributes.get("method") or "get").lower(),
                    "fields": {},
                    "checkboxes": [],
                }
            )
        elif not self.forms:
            return
        elif tag == "input" and attributes.get("name"):
            kind = (attributes.get("type") or "text").lower()
            name = attributes["name"]
            if kind in {"checkbox", "radio"}:
                self.forms[-1]["checkboxes"].append((name, attributes.get("value") or "on"))
                if "checked" in attributes:
                    self.forms[-1]["fields"].setdefault(name, attributes.get("value") or "on")
            elif kind not in {"submit", "button"}:
                self.forms[-1]["fields"][name] = attributes.get("value") or ""
        elif tag == "select" and attributes.get("name"):
            self._select = attributes["name"]
        elif tag == "option" and self._select:
            fields = self.forms[-1]["fields"]
            value = attributes.get("value") or ""
            # The selected option, else the first that has a value (a pickup slot, not its
            # "choose a time" placeholder).
            if "selected" in attributes or (value and not fields.get(self._select)):
                fields[self._select] = value
            fields.setdefault(self._select, value)
        elif tag == "textarea" and attributes.get("name"):
            self.forms[-1]["fields"][attributes["name"]] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def forms_of(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


def _pick(name: str) -> str:
    return random.choice(CONFIG[name])


class Storefront(FastHttpUser):
    abstract = True
    wait_time = constant(THINK) if THINK else between(0, 0)

    def page(self, kind: str):
        if kind == "home":
            return self.client.get("/", name="home")
        if kind == "category":
            return self.client.get(f"/c/{_pick('categories')}/", name="category")
        if kind == "product":
            return self.client.get(
                f"/p/{_pick('products')}/?postal_code={_pick('postal_codes')}",
                name="product + postal code",
            )
        if kind == "search":
            return self.client.get(f"/search/?q={_pick('search_words')}", name="search")
        if kind == "api":
            return self.client.get(
                "/api/v1/products/",
                name="api products",
                headers={"Authorization": f"Api-Key {CONFIG['api_key']}"},
            )
        raise ValueError(kind)


class Browser(Storefront):
    """The rest of the users (Buyer and ApiReader have a fixed count)."""

    @task(1)
    def home(self):
        self.page("home")

    @task(3)
    def category(self):
        self.page("category")

    @task(3)
    def product(self):
        self.page("product")

    @task(2)
    def search(self):
        self.page("search")


class ApiReader(Storefront):
    fixed_count = int(os.environ.get("NM_LOAD_API_READERS", "1"))

    @task
    def products(self):
        self.page("api")


ORDER_PATH = re.compile(r"/orders/[^/]+/confirmation/")
SHOWN_ERROR = re.compile(r'(?:role="alert"|class="field-error")[^>]*>(?:<p>)?([^<]+)')


def errors_shown(html: str) -> str:
    """The alerts and field errors a page shows, for the failure's message."""
    return " | ".join(text.strip() for text in SHOWN_ERROR.findall(html or ""))[:300]


class Buyer(Storefront):
    """One customer per order: a fresh session, a product near her, the cart, the checkout."""

    fixed_count = int(os.environ.get("NM_LOAD_BUYERS", "1"))

    @task
    def buy(self):
        self.client.cookiejar.clear()
        postal_code = _pick("postal_codes")
        url = f"/p/{_pick('products')}/?postal_code={postal_code}"
        with self.client.get(url, name="product + postal code", catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"status {answer.status_code}")
                return
            adds = [form for form in forms_of(answer.text) if form["action"] == "/cart/add/"]
        # Click & collect at a store near her when the page offers one, else home delivery.
        collect = [form for form in adds if form["fields"].get("method") == "click_collect"]
        chosen = collect or [f for f in adds if f["fields"].get("method") == "home_delivery"]
        if not chosen:
            return  # nothing to buy here (every variant out of stock): she looks elsewhere
        fields = dict(random.choice(chosen)["fields"])
        fields["quantity"] = "1"
        fields.pop("next", None)
        with self.client.post(
            "/cart/add/", data=fields, name="cart add", allow_redirects=False, catch_response=True
        ) as answer:
            where = urlsplit(answer.headers.get("Location") or "").path
            if answer.status_code != 302 or where != "/cart/":
                answer.failure(f"not added: {answer.status_code} to {where or '-'}")
                return
        with self.client.get("/checkout/", name="checkout page", catch_response=True) as answer:
            forms = [f for f in forms_of(answer.text) if "accept_terms" in str(f["checkboxes"])]
            if answer.status_code != 200 or not forms:
                answer.failure(f"no checkout form ({answer.status_code})")
                return
        data = dict(forms[0]["fields"])
        data.update(
            {
                "email": f"load-{uuid.uuid4().hex[:12]}@example.com",
                "first_name": "Charge",
                "last_name": "Test",
                "phone": "0600000000",
                "address_line": "1 rue de la Charge",
                "postal_code": postal_code,
                "city": "Paris",
                "card_number": "4242424242424242",
                "card_expiry": "12/30",
                "card_cvc": "123",
                "accept_terms": "on",
            }
        )
        with self.client.post(
            forms[0]["action"] or "/checkout/",
            data=data,
            name="checkout place",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            where = urlsplit(answer.headers.get("Location") or "").path
            if answer.status_code != 302 or not ORDER_PATH.fullmatch(where):
                answer.failure(
                    f"not placed: {answer.status_code} to {where or '-'} "
                    f"{errors_shown(answer.text) if answer.status_code == 200 else ''}"
                )


class Trivial(FastHttpUser):
    """The same-run baseline: the cheapest view there is (no database, no template)."""

    wait_time = between(0, 0)

    @task
    def live(self):
        self.client.get("/healthz/live", name="healthz/live (trivial)")


class OnePage(Storefront):
    """One page type alone (NM_LOAD_PAGE), as wrk measured each page in the issue."""

    @task
    def one(self):
        self.page(os.environ.get("NM_LOAD_PAGE", "home"))
