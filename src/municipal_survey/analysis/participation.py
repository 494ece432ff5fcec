"""Who answered: the responding municipalities against all 98, on what the register knows.

The intervals of the book assume that the municipalities that did not answer resemble those that
did. This compares them on the public facts (population), without showing which municipalities did
not answer: only the responding ones and all 98 are described, never the few that did not answer.
"""
from __future__ import annotations

import pandas as pd

from ..data.survey import Survey


def coverage(survey: Survey) -> pd.DataFrame:
    """Rows "Deltagende kommuner" and "Alle kommuner": number, total and median population, and the
    share of Denmark's population living in them."""
    register = survey.register.set_index("code")
    answered = register.loc[register.index.isin(set(survey.responses["municipality"]))]
    total = register["population"].sum()
    rows = []
    for label, group in (("Deltagende kommuner", answered), ("Alle kommuner", register)):
        rows.append({"Kommuner": label, "Antal": len(group), "Folketal i alt": int(group["population"].sum()),
                     "Andel af befolkningen (pct.)": 100 * group["population"].sum() / total,
                     "Median folketal": float(group["population"].median())})
    return pd.DataFrame(rows)
