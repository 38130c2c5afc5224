"""What the counter hears after each wrong pickup code, in French: the attempts left counted in
words that agree ("Encore 2 essais", "Encore 1 essai"), and no "0 essai(s)" at the end."""

from __future__ import annotations

import pytest
from django.utils import translation

from fulfillment.services import (
    WrongPickupCode,
    accept_fulfilment,
    hand_over,
    mark_picked,
    mark_ready_for_pickup,
)


def test_each_wrong_code_says_how_many_attempts_are_left(click_collect, lyon_owner):
    accept_fulfilment(fulfilment=click_collect, actor=lyon_owner)
    mark_picked(fulfilment=click_collect, actor=lyon_owner)
    code = mark_ready_for_pickup(fulfilment=click_collect, actor=lyon_owner).pickup_code
    wrong = "000000" if code != "000000" else "111111"

    said = []
    with translation.override("fr"):
        for _attempt in range(5):
            with pytest.raises(WrongPickupCode) as refused:
                hand_over(fulfilment=click_collect, code=wrong, actor=lyon_owner)
            said.append(refused.value.message)

    assert said == [
        "Code de retrait erroné. Encore 4 essais.",
        "Code de retrait erroné. Encore 3 essais.",
        "Code de retrait erroné. Encore 2 essais.",
        "Code de retrait erroné. Encore 1 essai.",
        "Code de retrait erroné. Plus aucun essai\xa0: envoyez un nouveau code au client.",
    ]
