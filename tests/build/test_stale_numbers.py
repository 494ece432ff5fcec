"""No stale numbers (unit level): the build's caches are cleared exactly when what the numbers depend on
changes. jupyter-cache keys on code cells only, and Sphinx re-reads only files whose mtime changed, so
`fingerprint.refresh_cache` must clear both the execution cache and the Sphinx environment whenever the
active dataset, the data folder, the package code or the banner extension change, and keep them otherwise.

The end-to-end proof (a book built on an imported export shows the new numbers) is
tests/book/test_make_book_real_data.py.
"""
from pathlib import Path

import pytest
from miniature_project import TIDY

from municipal_survey import cli
from municipal_survey.build import fingerprint
from municipal_survey.data import paths
from municipal_survey.data.paths import RESPONSES_ENV


def built(build: Path) -> Path:
    """Pretend a build ran: an execution cache and a Sphinx environment with something in them."""
    for name in (fingerprint.CACHE, fingerprint.SPHINX_ENV):
        (build / name).mkdir(parents=True, exist_ok=True)
        (build / name / "entry").write_text("executed with the old inputs")
    return build


def caches_exist(build: Path) -> bool:
    return all((build / name / "entry").exists() for name in (fingerprint.CACHE, fingerprint.SPHINX_ENV))


def first_build(project: Path) -> Path:
    build = project / "_build"
    assert fingerprint.refresh_cache(build) is True  # nothing recorded yet: start clean
    built(build)
    return build


def test_first_build_starts_clean_and_records_the_inputs(project):
    build = built(project / "_build")
    assert fingerprint.refresh_cache(build) is True
    assert not (build / fingerprint.CACHE).exists() and not (build / fingerprint.SPHINX_ENV).exists()
    assert (build / fingerprint.STAMP).read_text().strip() == fingerprint.inputs_digest()


def test_unchanged_inputs_keep_the_caches(project):
    build = first_build(project)
    for _ in range(2):
        assert fingerprint.refresh_cache(build) is False
        assert caches_exist(build)


def _edit_responses(project):
    path = project / "data" / "synthetic" / "responses.csv"
    path.write_text(path.read_text().replace(",4\n", ",2\n"))


def _switch_to_imported(project, monkeypatch):
    monkeypatch.setenv(RESPONSES_ENV, str(project / "data" / "imported" / "responses.csv"))


def _switch_to_identical_copy(project, monkeypatch):
    copy = project / "elsewhere" / "responses.csv"
    copy.parent.mkdir()
    copy.write_bytes((project / "data" / "synthetic" / "responses.csv").read_bytes())
    monkeypatch.setenv(RESPONSES_ENV, str(copy))  # same answers, but the banner names another file


def _edit_data(project):
    (project / "data" / "codebook" / "questions_ch1.csv").write_text("question,kind\norg_a_samlet,status\n")


def _add_data(project):
    (project / "data" / "published").mkdir()
    (project / "data" / "published" / "published_k3.csv").write_text("id,value\nk3-001,50\n")


def _remove_data(project):
    (project / "data" / "codebook" / "questions_ch1.csv").unlink()


def _edit_package(project):
    likert = project / "src" / "municipal_survey" / "analysis" / "likert.py"
    likert.write_text("def share(k, n):\n    return k / (n + 1)\n")


def _add_module(project):
    (project / "src" / "municipal_survey" / "analysis" / "disclosure.py").write_text("MIN_COUNT = 5\n")


def _edit_extension(project):
    (project / "book" / "_ext" / "dataset_banner.py").write_text("BANNER = 'imported'\n")


@pytest.mark.parametrize("change", [
    _edit_responses, _switch_to_imported, _switch_to_identical_copy, _edit_data, _add_data, _remove_data,
    _edit_package, _add_module, _edit_extension,
])
def test_a_change_the_numbers_depend_on_clears_both_caches_once(project, monkeypatch, change):
    build = first_build(project)
    if change.__code__.co_argcount == 2:
        change(project, monkeypatch)
    else:
        change(project)
    assert fingerprint.refresh_cache(build) is True
    assert not (build / fingerprint.CACHE).exists(), "the execution cache would serve old outputs"
    assert not (build / fingerprint.SPHINX_ENV).exists(), "Sphinx would not re-read unchanged notebooks"
    built(build)
    assert fingerprint.refresh_cache(build) is False  # the new inputs are recorded: the next build reuses
    assert caches_exist(build)


def test_switching_back_to_the_synthetic_data_clears_again(project, monkeypatch):
    build = first_build(project)
    _switch_to_imported(project, monkeypatch)
    assert fingerprint.refresh_cache(build) is True
    built(build)
    monkeypatch.setenv(RESPONSES_ENV, "")
    assert fingerprint.refresh_cache(build) is True
    assert not caches_exist(build)


def test_imported_file_counts_only_while_it_is_the_active_dataset(project, monkeypatch):
    build = first_build(project)
    imported = project / "data" / "imported" / "responses.csv"
    imported.write_text(TIDY.replace(",4\n", ",1\n"))  # a new import while the book shows synthetic data
    assert fingerprint.refresh_cache(build) is False
    _switch_to_imported(project, monkeypatch)
    assert fingerprint.refresh_cache(build) is True
    built(build)
    imported.write_text(TIDY.replace(",4\n", ",9\n"))  # re-import while it is the active dataset
    assert fingerprint.refresh_cache(build) is True


def test_notebook_and_page_edits_are_left_to_the_build_tools(project):
    # jupyter-cache re-executes a notebook whose code changed and Sphinx re-reads changed files; only the
    # inputs they cannot see are fingerprinted.
    build = first_build(project)
    (project / "notebooks").mkdir()
    (project / "notebooks" / "01.ipynb").write_text("{}")
    assert fingerprint.refresh_cache(build) is False


def test_cli_reports_what_it_did(project, capsys):
    build = project / "_build"
    assert cli.main(["fingerprint", "--build-dir", str(build)]) == 0
    assert "cache cleared" in capsys.readouterr().out
    assert cli.main(["fingerprint", "--build-dir", str(build)]) == 0
    assert "cache kept" in capsys.readouterr().out


def test_the_real_project_digest_depends_on_the_dataset(tmp_path, monkeypatch):
    monkeypatch.setenv(RESPONSES_ENV, "")
    synthetic = fingerprint.inputs_digest()
    assert fingerprint.inputs_digest() == synthetic  # deterministic
    assert fingerprint.inputs_digest(paths.SYNTHETIC_RESPONSES) == synthetic
    copy = tmp_path / "responses.csv"
    copy.write_bytes(paths.SYNTHETIC_RESPONSES.read_bytes())
    monkeypatch.setenv(RESPONSES_ENV, str(copy))
    assert fingerprint.inputs_digest() != synthetic
