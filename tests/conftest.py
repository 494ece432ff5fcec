import dataclasses
import gc
import hashlib
import os
import sys

import miniature_project
import pytest

from municipal_survey.data import paths
from municipal_survey.data.paths import RESPONSES_ENV

# Nothing above loads numpy or pandas: the xdist controller, which runs no test, starts its workers
# sooner without them, and the next line must come before numpy loads OpenBLAS. One BLAS thread per
# process: the tests run in two processes (xdist) or beside the book's build on a machine of few cores,
# where a BLAS thread per core in every process makes them wait for each other (an SVD of 2,268 x 12
# took 55 ms instead of 0.3 ms).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.pop("MUNICIPAL_SURVEY_RESPONSES", None)  # tests always see the synthetic dataset
os.environ.pop(paths.INDEX_ENV, None)  # and the synthetic stand-in for the socioeconomic index


def pytest_unconfigure(config):
    """The interpreter's last garbage collection at exit walks every object the tests left behind (about
    a second per process, which the run waits for); frozen objects are left out of it."""
    gc.freeze()


@pytest.fixture(autouse=True)
def close_figures():
    """Every figure a test drew is closed after it (pyplot keeps them until closed)."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A miniature project tree (package, extension, data) that the fingerprint module reads."""
    root = tmp_path / "project"
    package = root / "src" / "municipal_survey"
    miniature_project.write(root)
    monkeypatch.setattr(paths, "PROJECT_ROOT", root)
    monkeypatch.setattr(paths, "PACKAGE_DIR", package)
    monkeypatch.setattr(paths, "DATA_DIR", root / "data")
    monkeypatch.setattr(paths, "SYNTHETIC_RESPONSES", root / "data" / "synthetic" / "responses.csv")
    monkeypatch.setenv(RESPONSES_ENV, "")
    return root


def _contents(book) -> tuple:
    """What the tests may read of a book and must not change: its frames (by content), sets and dicts."""
    import pandas as pd

    fields = [getattr(book.survey, field.name) for field in dataclasses.fields(book.survey)]
    frames = [book.contents, *(value for value in fields if isinstance(value, pd.DataFrame))]
    digests = [(tuple(f.columns), tuple(map(str, f.dtypes)),
                hashlib.sha256(pd.util.hash_pandas_object(f).to_numpy().tobytes()).hexdigest()) for f in frames]
    return digests, sorted(book.assumed), dict(book.labels)


@pytest.fixture(scope="session")
def shipped_book():
    """The book of the shipped synthetic dataset (sections.setup()), loaded once per test process for
    every test that only reads it; a test that changed it would fail when the session ends."""
    from municipal_survey.report import sections

    book = sections.setup()
    before = _contents(book)
    yield book
    assert _contents(book) == before, "a test changed the shared book of the shipped dataset"


@pytest.fixture(scope="session")
def book_helpers(shipped_book):
    """Every section helper that draws the book's charts (report.registry: the one list the pages call),
    with the synthetic dataset's book."""
    from municipal_survey.report import registry

    return shipped_book, registry.charted_sections(shipped_book.survey)


@pytest.fixture(scope="session")
def book_charts(book_helpers):
    """Every chart the chapters and the summary draw (the charted sections and chapter 3), each drawn once
    for all the chart checks: what the layout and provenance tests read of it, by chart name. Drawing
    the book's charts takes most of these tests' time, and pyplot would keep more than 60 figures open."""
    import matplotlib.pyplot as plt
    from chart_layout import DrawnChart, drawn_chart

    from municipal_survey.analysis import variation
    from municipal_survey.data import socioeconomic
    from municipal_survey.report import chapter3

    book, helpers = book_helpers
    index = socioeconomic.active_index(book.survey.register)
    calls = [(str(helper), helper) for helper in helpers]
    calls.append(("chapter3.section", lambda b: chapter3.section(b, variation.chapter(b.survey, index), index)))
    charts: dict[str, DrawnChart] = {}
    tables: dict[str, str] = {}
    for call, helper in calls:
        section = helper(book)
        for name, fig in section.figures.items():
            charts[name] = drawn_chart(fig, call)
            plt.close(fig)
        tables.update(section.tables)
    return book, charts, tables


@pytest.fixture
def by_region():
    """Answers by region around the threshold T: a group of T - 1, one of none, one without a size."""
    import pandas as pd

    from municipal_survey.analysis.disclosure import MIN_COUNT as T  # the book's threshold (data/settings.yml)

    return pd.DataFrame({
        "Region": ["Hovedstaden", "Sjælland", "Nordjylland", "Syddanmark", "Midtjylland"],
        "N": pd.array([6 * T - 1, T - 1, 0, 2 * T, None], dtype="Int64"),
        "I høj grad (pct.)": [45, 50, 0, 50, 30],
        "Gennemsnit": [2.9, 3.25, None, 2.4, 2.0],
    })
