import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from stores.models import PostalCode
from stores.postal_codes import DEFAULT_PATH, PostalCodeFileError, load_postal_codes
from stores.selectors import postal_code_centroid

LYON = (45.70, 45.81, 4.77, 4.90)


def write_csv(tmp_path, text: str):
    path = tmp_path / "codes.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_file_covers_metropolitan_france(db):
    count = load_postal_codes()

    assert count == PostalCode.objects.count() > 35_000
    departments = set(PostalCode.objects.values_list("code", flat=True).distinct())
    assert {code[:2] for code in departments} >= {f"{n:02d}" for n in range(1, 96)}
    assert not PostalCode.objects.filter(code__startswith="97").exists()


def test_loading_the_file_twice_changes_nothing(db):
    load_postal_codes()
    before = list(PostalCode.objects.order_by("pk").values_list())

    load_postal_codes()

    assert list(PostalCode.objects.order_by("pk").values_list()) == before


def test_reloading_moves_a_changed_centroid_and_keeps_the_others(db, tmp_path):
    load_postal_codes(write_csv(tmp_path, "code,city,latitude,longitude\n69002,Lyon,45.75,4.83\n"))
    PostalCode.objects.create(code="01000", city="Bourg-en-Bresse", latitude=46, longitude=5)

    load_postal_codes(
        write_csv(tmp_path, "code,city,latitude,longitude\n69002,Lyon,45.7542,4.8309\n")
    )

    lyon = PostalCode.objects.get(code="69002", city="Lyon")
    assert (lyon.latitude, lyon.longitude) == (Decimal("45.754200"), Decimal("4.830900"))
    assert PostalCode.objects.count() == 2


def test_centroid_of_a_lyon_postal_code_is_in_lyon(db):
    load_postal_codes()

    latitude, longitude = postal_code_centroid("69002")

    low_lat, high_lat, low_lng, high_lng = LYON
    assert low_lat < latitude < high_lat
    assert low_lng < longitude < high_lng


def test_centroid_averages_the_cities_a_code_serves(db, tmp_path):
    load_postal_codes(
        write_csv(
            tmp_path,
            "code,city,latitude,longitude\n"
            "01000,Bourg-en-Bresse,46.2000,5.2000\n"
            "01000,Saint-Denis-lès-Bourg,46.2100,5.1900\n",
        )
    )

    assert postal_code_centroid("01000") == pytest.approx((46.205, 5.195))


def test_unknown_postal_code_has_no_centroid(db):
    load_postal_codes()

    assert postal_code_centroid("00000") is None
    assert postal_code_centroid("  ") is None


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("code,town,lat,lng\n69002,Lyon,45.7,4.8\n", 1, "missing: city, latitude, longitude"),
        ("code,city,latitude,longitude\n69002,Lyon,45.7,4.8\n6900,Lyon,45.7,4.8\n", 3, "6900"),
        ("code,city,latitude,longitude\n69002,,45.7,4.8\n", 2, "city"),
        ("code,city,latitude,longitude\n69002,Lyon,nord,4.8\n", 2, "latitude 'nord'"),
        ("code,city,latitude,longitude\n69002,Lyon,45.7,181\n", 2, "longitude '181'"),
        (
            "code,city,latitude,longitude\n69002,Lyon,45.7,4.8\n69002,Lyon,45.7,4.8\n",
            3,
            "already on line 2",
        ),
    ],
    ids=["bad-header", "short-code", "no-city", "latitude-not-a-number", "longitude-out-of-range",
         "duplicate-row"],
)  # fmt: skip
def test_bad_row_names_its_line_and_loads_nothing(db, tmp_path, text, line, words):
    with translation.override("en"), pytest.raises(PostalCodeFileError) as caught:
        load_postal_codes(write_csv(tmp_path, text))

    assert caught.value.line == line
    assert f"{line}" in caught.value.message
    assert words in caught.value.message
    assert not PostalCode.objects.exists()


def test_command_loads_the_shipped_file_and_reports_a_bad_one(db, tmp_path):
    out = io.StringIO()
    call_command("load_postal_codes", stdout=out)
    assert str(DEFAULT_PATH) in out.getvalue()

    with pytest.raises(CommandError, match="2"):
        call_command(
            "load_postal_codes", str(write_csv(tmp_path, "code,city,latitude,longitude\nx,y,1,2\n"))
        )


def test_bad_row_error_speaks_french_by_default(db, tmp_path):
    with pytest.raises(PostalCodeFileError) as caught:
        load_postal_codes(write_csv(tmp_path, "code,city,latitude,longitude\n6900,Lyon,45,4\n"))

    assert caught.value.message == "Ligne 2\u00a0: le code postal '6900' n'a pas cinq chiffres."
