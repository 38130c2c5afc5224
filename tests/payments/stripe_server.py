"""A local Stripe API of our own, for the tests: the official SDK talks to it over real HTTP.

It answers like Stripe for exactly the calls the `stripe_connect` provider makes: form-encoded
bodies (`a[b][0]=…`), Stripe's JSON objects and id prefixes, `expand[]`, the `Idempotency-Key`
(the same key answers the same; the same key with other parameters is a 400
`idempotency_error`), the `Stripe-Account` header for payouts, and scripted failures: a declined
card (`tok_decline`, `pm_card_chargeDeclined` → 402 `card_error`), a rate limit (429) and an API
that is down (500), see `fail_next`. It keeps what it holds in memory (`objects`), so a test or
the reconciliation can read it back, and it sends signed webhooks (`Stripe-Signature: t=…,v1=…`).

Fixture: `stripe_server` (settings point the provider at it for the test). Helpers:
`complete_intent`, `update_account`, `set_payout_status`, `event`, `signed_event`, `post_event`.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import json
import re
import secrets
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

API_KEY = "sk_test_local_server"
WEBHOOK_SECRET = "whsec_local_server"
DECLINE_TOKENS = {"tok_decline", "tok_chargeDeclined", "pm_card_chargeDeclined",
                  "pm_card_visa_chargeDeclined"}  # fmt: skip
# Left waiting for the bank or the customer's 3-D Secure: completed with `complete_intent`.
PENDING_TOKENS = {"tok_delayed": "processing", "pm_card_threeDSecure2Required": "requires_action",
                  "tok_threeDSecure2Required": "requires_action"}  # fmt: skip


def stripe_fee(amount: int) -> int:
    """Stripe's European card rate, 1.5 % + 0.25 €."""
    return (amount * 15 + 500) // 1000 + 25


def decode_form(body: str) -> dict:
    """Stripe's form encoding back into nested dicts and lists (`expand[0]`, `a[b][c]`)."""
    root: dict = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+", key)
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _listify(root)


def _listify(node):
    """Dicts whose keys are all indexes become lists."""
    if isinstance(node, dict):
        if node and all(key.isdigit() for key in node):
            return [_listify(node[key]) for key in sorted(node, key=int)]
        return {key: _listify(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_listify(value) for value in node]
    return node


class StripeError(Exception):
    def __init__(self, status: int, type_: str, message: str, **extra):
        super().__init__(message)
        self.status = status
        self.body = {"error": {"type": type_, "message": message, **extra}}


@dataclass
class Call:
    method: str
    path: str
    params: dict
    idempotency_key: str
    stripe_account: str


@dataclass
class StripeTestServer:
    api_key: str = API_KEY
    webhook_secret: str = WEBHOOK_SECRET
    objects: dict = field(default_factory=dict)  # id -> Stripe object
    calls: list[Call] = field(default_factory=list)
    _idempotent: dict = field(default_factory=dict)
    _failures: list = field(default_factory=list)
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _counter: itertools.count = field(default_factory=lambda: itertools.count(1))

    # Life cycle ------------------------------------------------------------------------------

    def start(self) -> StripeTestServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server._handle(self, "GET")

            def do_POST(self):
                server._handle(self, "POST")

            def log_message(self, *args):
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    # What tests read and script ---------------------------------------------------------------

    def of_type(self, object_name: str) -> list[dict]:
        with self._lock:
            return [obj for obj in self.objects.values() if obj["object"] == object_name]

    def fail_next(self, status: int, *, times: int = 1, path: str = "") -> None:
        """The next `times` requests (whose path starts with `path`) answer `status`: 429 is
        Stripe's rate limit, 500 an API that is down."""
        with self._lock:
            self._failures.extend([(status, path)] * times)

    def complete_intent(self, intent_id: str, *, succeed: bool = True) -> dict:
        """The bank (or the customer's 3-D Secure) decided a pending PaymentIntent."""
        with self._lock:
            intent = self.objects[intent_id]
            if succeed:
                self._capture(intent)
            else:
                intent["status"] = "requires_payment_method"
                intent["last_payment_error"] = {
                    "type": "card_error", "code": "card_declined",
                    "message": "Your card was declined.",
                }  # fmt: skip
            return intent

    def update_account(self, account_id: str, **changes) -> dict:
        """Change a connected account as Stripe would after onboarding or a KYC deadline:
        charges_enabled, payouts_enabled, details_submitted, currently_due, past_due,
        disabled_reason."""
        with self._lock:
            account = self.objects[account_id]
            requirements = account["requirements"]
            for name in ("currently_due", "past_due", "disabled_reason"):
                if name in changes:
                    requirements[name] = changes.pop(name)
            account.update(changes)
            return json.loads(json.dumps(account))

    def complete_onboarding(self, account_id: str) -> dict:
        return self.update_account(
            account_id, charges_enabled=True, payouts_enabled=True, details_submitted=True,
            currently_due=[], past_due=[], disabled_reason=None,
        )  # fmt: skip

    def set_payout_status(self, payout_id: str, status: str, failure_message: str = "") -> dict:
        with self._lock:
            payout = self.objects[payout_id]
            payout["status"] = status
            if failure_message:
                payout["failure_message"] = failure_message
            return json.loads(json.dumps(payout))

    # Webhooks ---------------------------------------------------------------------------------

    def event(self, event_type: str, data_object: dict, *, created: int | None = None,
              account: str | None = None, event_id: str | None = None) -> dict:  # fmt: skip
        event = {
            "id": event_id or self._id("evt"),
            "object": "event",
            "api_version": "2025-01-27.acacia",
            "created": created if created is not None else int(time.time()),
            "type": event_type,
            "livemode": False,
            "pending_webhooks": 1,
            "data": {"object": json.loads(json.dumps(data_object))},
        }
        if account:
            event["account"] = account
        return event

    def sign(self, body: bytes, *, secret: str | None = None, timestamp: int | None = None) -> str:
        timestamp = timestamp if timestamp is not None else int(time.time())
        signed = f"{timestamp}.".encode() + body
        digest = hmac.new((secret or self.webhook_secret).encode(), signed, hashlib.sha256)
        return f"t={timestamp},v1={digest.hexdigest()}"

    def signed_event(self, event: dict, **sign_kwargs) -> tuple[bytes, str]:
        """(raw body, Stripe-Signature header) of an event, as Stripe would POST it."""
        body = json.dumps(event).encode()
        return body, self.sign(body, **sign_kwargs)

    def post_event(self, url: str, event: dict, **sign_kwargs) -> int:
        """POST a signed event to a running endpoint (a live server); returns the status."""
        body, signature = self.signed_event(event, **sign_kwargs)
        request = urllib.request.Request(  # noqa: S310 (a local test URL)
            url, data=body, method="POST",
            headers={"Content-Type": "application/json", "Stripe-Signature": signature},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    # HTTP -------------------------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler, method: str) -> None:
        split = urlsplit(request.path)
        if split.path.startswith("/onboarding/"):
            return self._onboarding_page(request, split)
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length).decode() if length else ""
        params = decode_form(raw if method == "POST" else split.query)
        key = request.headers.get("Idempotency-Key", "")
        account = request.headers.get("Stripe-Account", "")
        try:
            with self._lock:
                self.calls.append(Call(method, split.path, params, key, account))
                self._check_auth(request)
                self._scripted_failure(split.path)
                if method == "POST" and key:
                    status, body = self._idempotent_call(method, split.path, params, key, account)
                else:
                    status, body = self._call(method, split.path, params, account)
        except StripeError as error:
            status, body = error.status, error.body
        payload = json.dumps(body).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(payload)))
        request.send_header("Request-Id", f"req_{secrets.token_hex(7)}")
        if key:
            request.send_header("Idempotency-Key", key)
        request.end_headers()
        request.wfile.write(payload)
        return None

    def _check_auth(self, request) -> None:
        if request.headers.get("Authorization", "") != f"Bearer {self.api_key}":
            raise StripeError(401, "invalid_request_error", "Invalid API Key provided.")

    def _scripted_failure(self, path: str) -> None:
        for index, (status, prefix) in enumerate(self._failures):
            if path.startswith(prefix):
                del self._failures[index]
                if status == 429:
                    raise StripeError(
                        429, "invalid_request_error", "Request rate limit exceeded.",
                        code="rate_limit",
                    )  # fmt: skip
                raise StripeError(status, "api_error", "Something went wrong on Stripe's end.")

    def _idempotent_call(self, method, path, params, key, account):
        fingerprint = hashlib.sha256(
            json.dumps([method, path, params], sort_keys=True).encode()
        ).hexdigest()
        scope = (account, key)
        if scope in self._idempotent:
            first_fingerprint, status, body = self._idempotent[scope]
            if first_fingerprint != fingerprint:
                raise StripeError(
                    400, "idempotency_error",
                    "Keys for idempotent requests can only be used with the same parameters "
                    "they were first used with. Try using a key other than "
                    f"'{key}' if you meant to execute a different request.",
                )  # fmt: skip
            return status, body
        try:
            status, body = self._call(method, path, params, account)
        except StripeError as error:
            status, body = error.status, error.body
            if status >= 500 or status == 429:
                raise
        self._idempotent[scope] = (fingerprint, status, body)
        return status, body

    def _call(self, method: str, path: str, params: dict, account: str) -> tuple[int, dict]:
        routes = [
            ("POST", r"/v1/payment_intents", self._create_intent),
            ("GET", r"/v1/payment_intents/(?P<id>pi_\w+)", self._get_intent),
            ("GET", r"/v1/charges/(?P<id>ch_\w+)", self._get),
            ("POST", r"/v1/refunds", self._create_refund),
            ("GET", r"/v1/refunds/(?P<id>re_\w+)", self._get),
            ("POST", r"/v1/accounts", self._create_account),
            ("GET", r"/v1/accounts/(?P<id>acct_\w+)", self._get),
            ("POST", r"/v1/account_links", self._create_account_link),
            ("POST", r"/v1/transfers", self._create_transfer),
            ("GET", r"/v1/transfers/(?P<id>tr_\w+)", self._get),
            ("POST", r"/v1/transfers/(?P<id>tr_\w+)/reversals", self._create_reversal),
            ("POST", r"/v1/payouts", self._create_payout),
            ("GET", r"/v1/payouts/(?P<id>po_\w+)", self._get_payout),
        ]
        for route_method, pattern, handler in routes:
            match = re.fullmatch(pattern, path)
            if route_method == method and match:
                answer = handler(params=params, account=account, **match.groupdict())
                return 200, json.loads(json.dumps(answer))
        raise StripeError(404, "invalid_request_error", f"Unrecognized request URL ({path}).")

    # Objects ----------------------------------------------------------------------------------

    def _id(self, prefix: str) -> str:
        return f"{prefix}_{next(self._counter):04d}{secrets.token_hex(6)}"

    def _add(self, obj: dict) -> dict:
        self.objects[obj["id"]] = obj
        return obj

    def _find(self, object_id: str, object_name: str, param: str = "id") -> dict:
        obj = self.objects.get(object_id)
        if obj is None or obj["object"] != object_name:
            raise StripeError(
                404 if param == "id" else 400, "invalid_request_error",
                f"No such {object_name}: '{object_id}'", code="resource_missing", param=param,
            )  # fmt: skip
        return obj

    def _get(self, *, params, account, id):
        obj = self.objects.get(id)
        if obj is None:
            raise StripeError(404, "invalid_request_error", f"No such object: '{id}'",
                              code="resource_missing")  # fmt: skip
        return self._expanded(obj, params.get("expand") or [])

    def _expanded(self, obj: dict, expand: list[str]) -> dict:
        obj = json.loads(json.dumps(obj))
        for path in expand:
            node = obj
            for name in path.split("."):
                value = node.get(name) if isinstance(node, dict) else None
                if isinstance(value, str) and value in self.objects:
                    node[name] = json.loads(json.dumps(self.objects[value]))
                node = node.get(name) if isinstance(node, dict) else None
        return obj

    @staticmethod
    def _amount(params: dict, name: str = "amount") -> int:
        try:
            amount = int(params[name])
        except (KeyError, ValueError):
            raise StripeError(400, "invalid_request_error", f"Missing required param: {name}.",
                              param=name) from None  # fmt: skip
        if amount <= 0:
            raise StripeError(400, "invalid_request_error", "Amount must be positive.", param=name)
        return amount

    def _create_intent(self, *, params, account):
        amount = self._amount(params)
        token = params.get("payment_method") or (
            params.get("payment_method_data", {}).get("card", {}).get("token", "")
        )
        intent = self._add({
            "id": self._id("pi"), "object": "payment_intent", "amount": amount,
            "amount_received": 0, "currency": params.get("currency", "eur"),
            "status": "requires_confirmation", "description": params.get("description"),
            "transfer_group": params.get("transfer_group"), "metadata": params.get("metadata", {}),
            "latest_charge": None, "last_payment_error": None, "created": int(time.time()),
            "livemode": False, "payment_method": f"pm_{secrets.token_hex(8)}",
        })  # fmt: skip
        if token and not token.startswith(("tok_", "pm_card_")):
            del self.objects[intent["id"]]
            raise StripeError(400, "invalid_request_error", f"No such PaymentMethod: '{token}'",
                              code="resource_missing", param="payment_method")  # fmt: skip
        if params.get("confirm") == "true":
            if token in DECLINE_TOKENS:
                message = "Your card was declined."
                intent["status"] = "requires_payment_method"
                intent["last_payment_error"] = {"type": "card_error", "code": "card_declined",
                                                "message": message}  # fmt: skip
                raise StripeError(
                    402, "card_error", message, code="card_declined",
                    decline_code="generic_decline", payment_intent=dict(intent),
                )  # fmt: skip
            if token in PENDING_TOKENS:
                intent["status"] = PENDING_TOKENS[token]
            else:
                self._capture(intent)
        return self._expanded(intent, params.get("expand") or [])

    def _capture(self, intent: dict) -> None:
        balance = self._add({
            "id": self._id("txn"), "object": "balance_transaction", "amount": intent["amount"],
            "fee": stripe_fee(intent["amount"]), "net": intent["amount"] - stripe_fee(
                intent["amount"]), "currency": intent["currency"], "type": "charge",
        })  # fmt: skip
        charge = self._add({
            "id": self._id("ch"), "object": "charge", "amount": intent["amount"],
            "amount_refunded": 0, "currency": intent["currency"], "status": "succeeded",
            "paid": True, "payment_intent": intent["id"], "balance_transaction": balance["id"],
            "transfer_group": intent["transfer_group"], "refunded": False,
        })  # fmt: skip
        balance["source"] = charge["id"]
        intent.update(status="succeeded", amount_received=intent["amount"],
                      latest_charge=charge["id"], last_payment_error=None)  # fmt: skip

    def _get_intent(self, *, params, account, id):
        return self._expanded(self._find(id, "payment_intent"), params.get("expand") or [])

    def _create_refund(self, *, params, account):
        amount = self._amount(params)
        if params.get("payment_intent"):
            intent = self._find(params["payment_intent"], "payment_intent", "payment_intent")
            if not intent["latest_charge"]:
                raise StripeError(400, "invalid_request_error",
                                  "This PaymentIntent does not have a successful charge to "
                                  "refund.", param="payment_intent")  # fmt: skip
            charge = self.objects[intent["latest_charge"]]
        else:
            charge = self._find(params.get("charge", ""), "charge", "charge")
        if charge["amount_refunded"] + amount > charge["amount"]:
            raise StripeError(
                400, "invalid_request_error",
                f"Refund amount ({amount / 100:.2f}) is greater than unrefunded amount on "
                f"charge ({(charge['amount'] - charge['amount_refunded']) / 100:.2f})",
                code="amount_too_large", param="amount",
            )  # fmt: skip
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        return self._add({
            "id": self._id("re"), "object": "refund", "amount": amount,
            "charge": charge["id"], "payment_intent": charge["payment_intent"],
            "currency": charge["currency"], "status": "succeeded", "created": int(time.time()),
        })  # fmt: skip

    def _create_account(self, *, params, account):
        if params.get("type") not in {"express", "custom", "standard"}:
            raise StripeError(400, "invalid_request_error", "Invalid type.", param="type")
        return self._add({
            "id": self._id("acct"), "object": "account", "type": params["type"],
            "country": params.get("country", "FR"), "email": params.get("email"),
            "metadata": params.get("metadata", {}), "charges_enabled": False,
            "payouts_enabled": False, "details_submitted": False,
            "capabilities": {name: "inactive" for name in params.get("capabilities", {})},
            "settings": {"payouts": {"schedule": params.get("settings", {}).get(
                "payouts", {}).get("schedule", {"interval": "daily"})}},
            "requirements": {
                "currently_due": ["business_profile.url", "external_account",
                                  "representative.first_name", "tos_acceptance.date"],
                "past_due": [], "eventually_due": [], "disabled_reason": "requirements.past_due",
            },
        })  # fmt: skip

    def _create_account_link(self, *, params, account):
        acct = self._find(params.get("account", ""), "account", "account")
        query = urlencode({"return_url": params["return_url"],
                           "refresh_url": params["refresh_url"]})  # fmt: skip
        return {
            "object": "account_link", "created": int(time.time()),
            "expires_at": int(time.time()) + 300,
            "url": f"{self.url}/onboarding/{acct['id']}?{query}",
        }  # fmt: skip

    def _create_transfer(self, *, params, account):
        amount = self._amount(params)
        destination = self._find(params.get("destination", ""), "account", "destination")
        if params.get("source_transaction"):
            charge = self._find(params["source_transaction"], "charge", "source_transaction")
            moved = sum(t["amount"] for t in self.of_type("transfer")
                        if t.get("source_transaction") == charge["id"])  # fmt: skip
            if moved + amount > charge["amount"]:
                raise StripeError(
                    400, "invalid_request_error",
                    "Insufficient funds in the source transaction for this transfer.",
                    code="balance_insufficient", param="amount",
                )  # fmt: skip
        transfer_id = self._id("tr")
        return self._add({
            "id": transfer_id, "object": "transfer", "amount": amount, "amount_reversed": 0,
            "currency": params.get("currency", "eur"), "destination": destination["id"],
            "transfer_group": params.get("transfer_group"),
            "source_transaction": params.get("source_transaction"), "reversed": False,
            "reversals": {"object": "list", "data": [], "has_more": False, "total_count": 0,
                          "url": f"/v1/transfers/{transfer_id}/reversals"},
            "created": int(time.time()),
        })  # fmt: skip

    def _create_reversal(self, *, params, account, id):
        transfer = self._find(id, "transfer")
        amount = int(params.get("amount") or transfer["amount"] - transfer["amount_reversed"])
        if amount <= 0 or transfer["amount_reversed"] + amount > transfer["amount"]:
            raise StripeError(400, "invalid_request_error",
                              "Transfer reversal amount is greater than the transfer's unreversed "
                              "amount.", param="amount")  # fmt: skip
        reversal = {"id": self._id("trr"), "object": "transfer_reversal", "amount": amount,
                    "currency": transfer["currency"], "transfer": transfer["id"],
                    "created": int(time.time())}  # fmt: skip
        transfer["amount_reversed"] += amount
        transfer["reversed"] = transfer["amount_reversed"] == transfer["amount"]
        transfer["reversals"]["data"].append(reversal)
        transfer["reversals"]["total_count"] += 1
        return reversal

    def _create_payout(self, *, params, account):
        amount = self._amount(params)
        if not account:
            raise StripeError(
                400,
                "invalid_request_error",
                "Payouts of connected accounts need the Stripe-Account header.",
            )
        connected = self._find(account, "account", "Stripe-Account")
        if not connected["payouts_enabled"]:
            raise StripeError(400, "invalid_request_error",
                              "Payouts are not enabled for this account.",
                              code="payouts_not_allowed")  # fmt: skip
        return self._add({
            "id": self._id("po"), "object": "payout", "amount": amount,
            "currency": params.get("currency", "eur"), "status": "pending",
            "account": connected["id"], "method": "standard", "failure_message": None,
            "arrival_date": int(time.time()) + 2 * 86400, "created": int(time.time()),
        })  # fmt: skip

    def _get_payout(self, *, params, account, id):
        payout = self._find(id, "payout")
        if account and payout["account"] != account:
            raise StripeError(404, "invalid_request_error", f"No such payout: '{id}'")
        return payout

    # The hosted onboarding, for browser tests -----------------------------------------------

    def _onboarding_page(self, request, split) -> None:
        """Stripe's hosted onboarding, reduced to one button: completing it enables the account
        and sends the browser back to the platform's return URL."""
        account_id = split.path.split("/")[2]
        query = dict(parse_qsl(split.query))
        if split.path.endswith("/complete"):
            with self._lock:
                if account_id in self.objects:
                    self.complete_onboarding(account_id)
            request.send_response(303)
            request.send_header("Location", query.get("return_url", "/"))
            request.end_headers()
            return
        page = (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<title>Stripe test onboarding</title></head><body>"
            f"<h1>Onboarding of {account_id}</h1>"
            f"<a id='complete' href='/onboarding/{account_id}/complete?{split.query}'>"
            "Submit the test details</a></body></html>"
        ).encode()
        request.send_response(200)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Length", str(len(page)))
        request.end_headers()
        request.wfile.write(page)


@pytest.fixture(scope="session")
def stripe_server_session():
    server = StripeTestServer().start()
    yield server
    server.stop()


@pytest.fixture
def stripe_server(stripe_server_session, settings):
    """The local Stripe API, emptied for the test, with the provider pointed at it
    (PAYMENT_PROVIDER=stripe_connect)."""
    server = stripe_server_session
    with server._lock:
        server.objects.clear()
        server.calls.clear()
        server._idempotent.clear()
        server._failures.clear()
    settings.PAYMENT_PROVIDER = "stripe_connect"
    settings.STRIPE_SECRET_KEY = server.api_key
    settings.STRIPE_WEBHOOK_SECRET = server.webhook_secret
    settings.STRIPE_API_BASE = server.url
    # Its onboarding links are on this server: the policy lets the back-office's form go there.
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(server.url)
    settings.CONTENT_SECURITY_POLICY = policy
    return server
