"""DAC7 tax reporting (Directive 2021/514, CGI art. 1649 ter A to E), by topic:

checks.py       the checks of a store's data (python-stdnum, schwifty)
data.py         saving the data, what is missing
holds.py        the DAC7 hold on a store's payouts and the notices to the store
declaration.py  the annual declaration (dac7 package, XSD-validated) and the stores' copies
calendar.py     the daily job: reminders, holds and releases, January's declaration

See docs/dac7.md.
"""

from .calendar import Dac7Run, reminder_dates, run_dac7_calendar
from .checks import EU_COUNTRIES, check_seller_data
from .data import (
    Dac7DataInvalid,
    current_values,
    has_complete_dac7_data,
    missing_dac7_data,
    save_dac7_data,
)
from .declaration import Dac7NotReady, prepare_declaration, prepare_year_once, validate_dac7_xml
from .holds import active_dac7_hold, hold_for_dac7, release_dac7_hold

__all__ = [
    "EU_COUNTRIES",
    "Dac7DataInvalid",
    "Dac7NotReady",
    "Dac7Run",
    "active_dac7_hold",
    "check_seller_data",
    "current_values",
    "has_complete_dac7_data",
    "hold_for_dac7",
    "missing_dac7_data",
    "prepare_declaration",
    "prepare_year_once",
    "release_dac7_hold",
    "reminder_dates",
    "run_dac7_calendar",
    "save_dac7_data",
    "validate_dac7_xml",
]
