"""make book skips jupyter-book only when nothing the book reads changed since the last make book."""
import os

from municipal_survey import cli
from municipal_survey.build import fingerprint, site_stamp
from municipal_survey.data.paths import RESPONSES_ENV


def make_book(build):
    """What the Makefile does: check, and if not current build (here: pretend) and record."""
    if site_stamp.is_current(build):
        return False
    html = build / "html"
    html.mkdir(parents=True, exist_ok=True)
    (html / "index.html").write_text("<html></html>")
    env = build / fingerprint.SPHINX_ENV
    env.mkdir(parents=True, exist_ok=True)
    (env / "environment.pickle").write_bytes(os.urandom(8))
    site_stamp.record(build)
    return True


def later(path):
    """Set a file's mtime a second later (a rewrite with the same size and a coarse clock)."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_a_second_make_book_without_changes_builds_nothing(project):
    build = project / "_build"
    assert make_book(build) is True
    assert make_book(build) is False
    assert site_stamp.is_current(build)


def test_any_file_the_book_reads_makes_it_build_again(project):
    build = project / "_build"
    make_book(build)
    page = project / "book" / "forside.md"
    page.write_text("# Forside\n")  # a new page
    assert make_book(build) is True
    later(page)  # touched: make's rule too
    assert make_book(build) is True
    (project / "_toc.yml").write_text("root: book/forside\n")
    assert make_book(build) is True
    assert make_book(build) is False


def test_files_the_build_does_not_read_do_not(project):
    build = project / "_build"
    make_book(build)
    for folder in ("tests", "bench", ".git", "node_modules", "venv"):
        (project / folder).mkdir()
        (project / folder / "x.txt").write_text("x")
    (project / "venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")  # a virtual environment by any name
    assert make_book(build) is False


def test_the_dataset_counts_by_content_not_by_the_imported_files_mtime(project, monkeypatch):
    build = project / "_build"
    imported = project / "data" / "imported" / "responses.csv"
    monkeypatch.setenv(RESPONSES_ENV, str(imported))
    make_book(build)
    imported.write_bytes(imported.read_bytes())  # make book RESPONSES=... imports again: same answers
    later(imported)
    assert make_book(build) is False
    imported.write_text(imported.read_text().replace(",3\n", ",2\n"))  # new answers
    assert make_book(build) is True
    monkeypatch.setenv(RESPONSES_ENV, "")  # back to the synthetic data
    assert make_book(build) is True


def test_another_build_into_the_folder_is_never_taken_for_current(project):
    build = project / "_build"
    make_book(build)
    (build / fingerprint.SPHINX_ENV / "environment.pickle").write_bytes(b"a bare jupyter-book build")
    assert make_book(build) is True
    site_stamp.forget(build)  # what make build-check does first
    assert make_book(build) is True
    (build / "html" / "index.html").unlink()
    assert make_book(build) is True


def test_an_edit_during_the_build_is_not_recorded_as_built(project):
    build = project / "_build"
    make_book(build)
    page = project / "book" / "side.md"
    page.write_text("før")
    assert not site_stamp.is_current(build)
    page.write_text("efter, mens bogen bygges")  # edited after the check, before record
    site_stamp.record(build)
    assert not site_stamp.is_current(build)


def test_cli_exit_codes(project, capsys):
    build = project / "_build"
    assert cli.main(["site-current", "--build-dir", str(build)]) == 1
    make_book(build)
    assert cli.main(["site-current", "--build-dir", str(build)]) == 0
    assert "is current" in capsys.readouterr().out
    assert cli.main(["site-current", "--build-dir", str(build), "--forget"]) == 0
    assert cli.main(["site-current", "--build-dir", str(build)]) == 1
