"""execute-cache fills jupyter-book's execution cache so that the build executes nothing again, keeps
myst-nb's cache key (a changed notebook is executed again), stops the book at a cell that raises (named
with its notebook), and leaves a notebook whose kernel did not start to the build.

A miniature book: each notebook appends a line to a log when it runs, so the test counts executions.
"""
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_cache import get_cache

from municipal_survey.build import parallel_execution

JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")


def notebook(code: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Side"), nbformat.v4.new_code_cell(code)]
    return nb


def logging_cell(name: str, value: str) -> str:
    return (f"with open('runs.log', 'a') as log:\n    log.write('{name}\\n')\n"
            f"print('value of {name}: ' + {value!r})")


@pytest.fixture
def book(tmp_path) -> Path:
    root = tmp_path / "book"
    (root / "notebooks").mkdir(parents=True)
    (root / "_config.yml").write_text(
        "title: Miniature\nonly_build_toc_files: true\nexecute:\n  execute_notebooks: cache\n"
        "  timeout: 60\n  allow_errors: false\n")
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: notebooks/b\n  - file: notebooks/a\n")
    (root / "intro.md").write_text("# Intro\n")
    for name in ("a", "b"):
        nbformat.write(notebook(logging_cell(name, f"{name}-1")), root / "notebooks" / f"{name}.ipynb")
    (root / "notebooks" / "not_in_toc.ipynb").write_text(nbformat.writes(notebook("1/0")))
    return root


def runs(book: Path) -> list[str]:
    log = book / "notebooks" / "runs.log"
    return sorted(log.read_text().split()) if log.exists() else []


def build(book: Path) -> str:
    done = subprocess.run([str(JUPYTER_BOOK), "build", str(book), "--builder", "html"], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return (book / "_build" / "html" / "notebooks" / "a.html").read_text()


def test_the_notebooks_come_from_the_table_of_contents_in_its_order(book):
    folder = book / "notebooks"
    assert parallel_execution.toc_notebooks(book) == [folder / "b.ipynb", folder / "a.ipynb"]
    (book / "_toc.yml").write_text("format: jb-book\nroot: notebooks/a\nchapters:\n  - file: notebooks/b\n")
    assert parallel_execution.toc_notebooks(book) == [folder / "a.ipynb", folder / "b.ipynb"]  # a notebook as root
    assert parallel_execution.execution_settings(book) == {"timeout": 60, "allow_errors": False}


@pytest.mark.book
@pytest.mark.scratch
@pytest.mark.skipif(not JUPYTER_BOOK.exists(), reason="jupyter-book not installed next to this Python")
def test_the_build_uses_what_execute_cache_executed_and_reexecutes_a_changed_notebook(book):
    outcomes = parallel_execution.run(book / "_build", jobs=2, root=book)
    assert sorted(o.notebook.name for o in outcomes) == ["a.ipynb", "b.ipynb"]
    assert all(o.error is None for o in outcomes)
    assert runs(book) == ["a", "b"]
    assert "value of a: a-1" in build(book)
    assert runs(book) == ["a", "b"]  # the build executed nothing

    # Already cached: nothing to do.
    assert parallel_execution.run(book / "_build", jobs=2, root=book) == []

    # A changed code cell misses the cache (myst-nb's key), is executed again and shown.
    nbformat.write(notebook(logging_cell("a", "a-2")), book / "notebooks" / "a.ipynb")
    outcomes = parallel_execution.run(book / "_build", jobs=2, root=book)
    assert [o.notebook.name for o in outcomes] == ["a.ipynb"]
    html = build(book)
    assert "value of a: a-2" in html and "a-1" not in html
    assert runs(book) == ["a", "a", "b"]


def test_a_cell_that_raises_fails_the_book_and_is_named(book, capsys, monkeypatch):
    nbformat.write(notebook("x = 1\nraise ValueError('broken on purpose')"), book / "notebooks" / "a.ipynb")
    outcomes = {o.notebook.name: o for o in parallel_execution.run(book / "_build", jobs=2, root=book)}
    assert outcomes["b.ipynb"].error is None
    assert outcomes["a.ipynb"].error.startswith("CellExecutionError") and outcomes["a.ipynb"].failed_in_a_cell
    assert outcomes["a.ipynb"].cell == "cell 2: x = 1"  # the markdown title is cell 1
    message = parallel_execution.report(list(outcomes.values()), total=2, jobs=2, seconds=1.0)
    assert "notebooks/a.ipynb failed in cell 2: x = 1" in message
    assert "ValueError: broken on purpose" in message and "Nothing was built" in message
    cache = get_cache(str(book / "_build" / ".jupyter_cache"))
    cache.match_cache_notebook(nbformat.read(book / "notebooks" / "b.ipynb", as_version=4))
    with pytest.raises(KeyError):
        cache.match_cache_notebook(nbformat.read(book / "notebooks" / "a.ipynb", as_version=4))
    # make book's step: exit 1, the report on stderr.
    monkeypatch.setattr(parallel_execution, "toc_notebooks", lambda root=book: [book / "notebooks" / "a.ipynb"])
    monkeypatch.setattr(parallel_execution, "run", lambda build_dir, jobs: [outcomes["a.ipynb"]])
    assert parallel_execution.main(book / "_build", jobs=1) == 1
    assert "a.ipynb failed in cell 2" in capsys.readouterr().err


def test_a_kernel_that_cannot_start_is_a_failed_notebook_not_a_crash(tmp_path):
    """A kernel that dies at start (two kernels started together can be handed the same free port) or
    does not exist fails that notebook only; the build then executes it again and reports it."""
    nb = notebook("print('never runs')")
    nb.metadata["kernelspec"]["name"] = "no-such-kernel"
    nbformat.write(nb, tmp_path / "a.ipynb")
    cache = tmp_path / ".jupyter_cache"
    [outcome] = parallel_execution.fill_cache(cache, [tmp_path / "a.ipynb"], jobs=1, timeout=60,
                                              allow_errors=False)
    assert outcome.error.startswith("NoSuchKernel") and "no-such-kernel" in outcome.error
    assert outcome.cell is None and not outcome.failed_in_a_cell and outcome.seconds == 0.0
    with pytest.raises(KeyError):  # nothing cached: the build executes it again
        get_cache(str(cache)).match_cache_notebook(nbformat.read(tmp_path / "a.ipynb", as_version=4))
