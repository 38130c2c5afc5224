"""Draw the layers of `.importlinter` into docs/architecture.md, between its layers markers.

    python scripts/layers_diagram.py          # rewrite the picture
    python scripts/layers_diagram.py --check  # exit 1 when the picture is not the contract's

The contract is the truth; this keeps the picture a newcomer reads in step with it.
"""

from __future__ import annotations

import argparse
import configparser
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / ".importlinter"
DOC = ROOT / "docs" / "architecture.md"
BEGIN, END = "<!-- layers:begin -->", "<!-- layers:end -->"

# What each layer is for, in a few words: shown beside it.
PURPOSE = {
    "config": "assembly: settings, URLs, Celery, WSGI; the demo network",
    "hq": "HQ's view of the network: control tower, scorecards, fair routing",
    "checkout": "what a customer, HQ's legal team and a store's marketing do across the core",
    "payments": "money: payments, commission, ledger, transfers, payouts, invoices",
    "fulfillment": "each location's work on an order: steps, pickup codes, transfers, returns",
    "orders": "orders and their lines, the routing engine, the order policy",
    "accounts": "the customer's account: profile, address book, favourite store",
    "stores": "the network: stores, stock, prices, reservations, feeds, back-office shell",
    "catalog": "the PIM: categories, products, variants, VAT, HQ price bounds",
    "network_marketplace": "shared infrastructure: users, audit, outbox, webhooks, transitions",
}
WIDTH = 60


def layers() -> list[list[str]]:
    """The contract's layers, top first, each a list of its apps."""
    parser = configparser.ConfigParser()
    parser.read(CONTRACT)
    raw = parser["importlinter:contract:layers"]["layers"]
    return [
        [name.strip() for name in re.split(r"[|:]", line) if name.strip()]
        for line in raw.splitlines()
        if line.strip()
    ]


def diagram() -> str:
    rule = "─" * WIDTH
    lines = ["```", f"┌{rule}┐"]
    for index, layer in enumerate(layers()):
        if index:
            lines.append(f"├{rule}┤")
        names = "  ·  ".join(layer)
        purpose = next((PURPOSE[name] for name in layer if name in PURPOSE), "")
        lines.append(f"│ {names:<{WIDTH - 1}}│  {purpose}".rstrip())
    lines.append(f"└{rule}┘")
    lines.append(
        "   each layer imports only from the layers under it;  a · b: same layer, neither "
        "imports the other"
    )
    lines.append("```")
    return "\n".join(lines)


def with_diagram(text: str) -> str:
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return f"{text[:start]}\n{diagram()}\n{text[end:]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the picture is stale")
    args = parser.parse_args()
    current = DOC.read_text()
    expected = with_diagram(current)
    if args.check:
        if current != expected:
            print("docs/architecture.md: the layers picture is not the contract's; run")
            print("    python scripts/layers_diagram.py")
            return 1
        return 0
    DOC.write_text(expected)
    return 0


if __name__ == "__main__":
    sys.exit(main())
