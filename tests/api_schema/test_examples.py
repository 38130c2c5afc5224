"""The examples an integrator copies work on the demo network: every request example of the
OpenAPI schema, and every curl command of the README and docs/, sent to a live server with the
demo loaded, get the answer they document (a success)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from django.db.models import F

from fulfillment.models import Fulfilment
from fulfillment.services.pickup_codes import pickup_code_digest
from stores.models import StockLevel, Store
from stores.services import issue_api_key

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
STORE = "lyon-presquile"
# The request examples this test knows how to run: (method, path, example name).
QUOTE = ("post", "/api/v1/checkout/quote/", "ACollectLineAndAHome-deliveryLine")
ORDER = ("post", "/api/v1/orders/", "AnOrder")
STEPS = "/api/v1/stores/{store_slug}/fulfilments/{id}/"
REJECT = ("post", STEPS + "reject/", "AReason")
HANDOVER = ("post", STEPS + "handover/", "TheCode")
SHIP = ("post", STEPS + "ship/", "AParcel")
OUTCOME = ("post", STEPS + "outcome/", "Bought")
SHIP_TRANSFER = [
    ("post", STEPS + "ship-transfer/", name) for name in ("ByCarrier", "ByInternalShuttle")
]
BATCH = ("post", "/api/v1/stores/{store_slug}/stock/batch/", "TwoRows")
FORWARD = ("accept", "picked", "ready")


class Api:
    """Real HTTP calls to the live server, with an API key."""

    def __init__(self, url: str, key: str):
        self.url, self.key = url, key

    def call(self, method: str, path: str, body: dict | None = None, **headers: str):
        headers = {"Authorization": f"Api-Key {self.key}", "Accept-Language": "en", **headers}
        return requests.request(method, self.url + path, json=body, headers=headers, timeout=60)

    def step(self, store: str, fulfilment: int, action: str, body: dict | None = None):
        path = f"/api/v1/stores/{store}/fulfilments/{fulfilment}/{action.replace('_', '-')}/"
        return self.call("post", path, body)

    def advance_until(self, store: str, fulfilment: int, action: str) -> None:
        """Take the fulfilment's forward steps (accept, picked, ready) until `action` is allowed."""
        for _ in range(len(FORWARD) + 1):
            found = self.call("get", f"/api/v1/stores/{store}/fulfilments/{fulfilment}/").json()
            allowed = found["allowed_actions"]
            if action in allowed:
                return
            forward = next(step for step in FORWARD if step in allowed)
            assert self.step(store, fulfilment, forward).status_code == 200, forward
        pytest.fail(f"{action} never allowed on fulfilment {fulfilment}")


def request_examples(schema: dict) -> dict[tuple[str, str, str], dict]:
    return {
        (method, path, name): example["value"]
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for name, example in (
            operation.get("requestBody", {})
            .get("content", {})
            .get("application/json", {})
            .get("examples", {})
            .items()
        )
    }


def fulfilments_of(api: Api, number: str) -> list[dict]:
    return api.call("get", f"/api/v1/orders/{number}/").json()["fulfilments"]


def a_sku_lyon_lacks_and_the_warehouse_has() -> str:
    warehouse_stock = StockLevel.objects.filter(
        store__kind=Store.Kind.WAREHOUSE,
        on_hand__gte=F("reserved") + F("safety_stock") + 5,
    ).values_list("variant__sku", flat=True)
    lyon_empty = StockLevel.objects.filter(
        store__slug=STORE, on_hand__lte=F("reserved") + F("safety_stock")
    ).values_list("variant__sku", flat=True)
    return sorted(set(warehouse_stock) & set(lyon_empty))[0]


@pytest.mark.django_db(transaction=True)
def test_every_request_example_of_the_schema_runs_on_the_demo(demo_api):
    hq = Api(demo_api.url, demo_api.hq_key)
    lyon = Api(demo_api.url, demo_api.store_key)
    warehouse_store = Store.objects.get(kind=Store.Kind.WAREHOUSE)

    def key_of(slug: str) -> str:
        return issue_api_key(store=Store.objects.get(slug=slug), name="examples", actor=None).secret

    warehouse = Api(demo_api.url, key_of(warehouse_store.slug))
    examples = request_examples(hq.call("get", "/api/schema/?format=json").json())
    assert set(examples) == {QUOTE, ORDER, REJECT, HANDOVER, SHIP, OUTCOME, BATCH, *SHIP_TRANSFER}
    answers = {}

    answers[QUOTE] = hq.call("post", QUOTE[1], examples[QUOTE])
    answers[ORDER] = hq.call("post", ORDER[1], examples[ORDER], **{"Idempotency-Key": "example"})
    placed = fulfilments_of(hq, answers[ORDER].json()["number"])
    ours = {fulfilment["store"]["slug"]: fulfilment["id"] for fulfilment in placed}

    to_accept = lyon.call("get", f"/api/v1/stores/{STORE}/fulfilments/?status=awaiting_acceptance")
    waiting = [row["id"] for row in to_accept.json()["results"] if row["id"] != ours[STORE]]
    answers[REJECT] = lyon.step(STORE, waiting[0], "reject", examples[REJECT])

    lyon.advance_until(STORE, ours[STORE], "handover")
    code = "".join(examples[HANDOVER]["code"].split())
    Fulfilment.objects.filter(pk=ours[STORE]).update(
        pickup_code_digest=pickup_code_digest(ours[STORE], code)
    )
    answers[HANDOVER] = lyon.step(STORE, ours[STORE], "handover", examples[HANDOVER])

    warehouse.advance_until(warehouse_store.slug, ours[warehouse_store.slug], "ship")
    answers[SHIP] = warehouse.step(
        warehouse_store.slug, ours[warehouse_store.slug], "ship", examples[SHIP]
    )

    listed = lyon.call("get", f"/api/v1/stores/{STORE}/fulfilments/?method=reserve_collect")
    reserved = next(row["id"] for row in listed.json()["results"] if not row["closed_at"])
    lyon.advance_until(STORE, reserved, "outcome")
    answers[OUTCOME] = lyon.step(STORE, reserved, "outcome", examples[OUTCOME])

    sku = a_sku_lyon_lacks_and_the_warehouse_has()
    for number, example in enumerate(SHIP_TRANSFER):
        order = hq.call(
            "post",
            ORDER[1],
            {
                **examples[ORDER],
                "lines": [{"sku": sku, "quantity": 1, "method": "click_collect", "store": STORE}],
            },
            **{"Idempotency-Key": f"transfer-{number}"},
        )
        assert order.status_code == 201, order.text
        source = next(
            row
            for row in fulfilments_of(hq, order.json()["number"])
            if row["store"]["slug"] != STORE
        )
        sender = Api(demo_api.url, key_of(source["store"]["slug"]))
        sender.advance_until(source["store"]["slug"], source["id"], "ship_transfer")
        answers[example] = sender.step(
            source["store"]["slug"], source["id"], "ship_transfer", examples[example]
        )

    answers[BATCH] = lyon.call(
        "post", BATCH[1].format(store_slug=STORE), examples[BATCH], **{"Idempotency-Key": "ex"}
    )

    failed = {
        name: (answer.status_code, answer.text[:300])
        for (_, _, name), answer in answers.items()
        if not 200 <= answer.status_code < 300
    }
    assert not failed


def curl_commands() -> list[tuple[str, str]]:
    """(document, command) for each curl command in a ```sh block of the README and docs/."""
    found = []
    for document in DOCUMENTS:
        for block in re.findall(r"```sh\n(.*?)```", document.read_text(), flags=re.S):
            joined = block.replace("\\\n", " ")
            for command in re.findall(r"^curl .*?(?=^\S|\Z)", joined, flags=re.S | re.M):
                found.append((document.name, command.strip()))
    return found


def as_request(command: str, *, url: str, key_for) -> dict:
    """The curl command as `requests` arguments: its method, headers, body and address, sent
    to `url` instead of the demo's http://127.0.0.1:8000, `$KEY` the key of the store it names."""
    words = shlex.split(command)[1:]
    method, headers, body, address = "GET", {}, None, None
    options = iter(words)
    for word in options:
        if word == "-X":
            method = next(options)
        elif word == "-H":
            name, _, value = next(options).partition(":")
            headers[name.strip()] = value.strip()
        elif word == "-d":
            body = next(options).encode()
            method = "POST" if method == "GET" else method
        else:
            address = word
    parts = urlsplit(address)
    store = re.search(r"/stores/([^/]+)/", parts.path)
    key = key_for(store.group(1) if store else None)
    headers = {name: value.replace("$KEY", key) for name, value in headers.items()}
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return {"method": method, "url": url + path, "headers": headers, "data": body}


def test_the_docs_have_curl_examples():
    commands = curl_commands()

    assert {document for document, _ in commands} >= {"api.md", "commerce.md", "money.md"}
    assert all("127.0.0.1:8000/api/v1/" in command for _, command in commands)


@pytest.mark.django_db(transaction=True)
def test_every_curl_example_of_the_docs_succeeds_on_the_demo(demo_api):
    def key_for(store_slug: str | None) -> str:
        return demo_api.store_key if store_slug == STORE else demo_api.hq_key

    answers = {}
    for document, command in curl_commands():
        answers[(document, command[:90])] = requests.request(
            **as_request(command, url=demo_api.url, key_for=key_for), timeout=60
        )

    failed = {
        name: (answer.status_code, answer.text[:300])
        for name, answer in answers.items()
        if not 200 <= answer.status_code < 300
    }
    assert answers
    assert not failed
