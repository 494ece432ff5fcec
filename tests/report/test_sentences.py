"""The data-dependent sentences (report.sentences): every template is used by the package, every key
the package asks for exists, and a template is filled exactly."""
import re
from pathlib import Path

import pytest

from municipal_survey.data import paths
from municipal_survey.report import sentences

PACKAGE = Path(sentences.__file__).parents[1]
SAID = re.compile(r"""\bsay\(\s*["']([a-z0-9_]+)["']""")


def keys_said_in_package() -> set[str]:
    """Keys in say("...") calls of the package (the sentences module's docstring only shows an example)."""
    return {key for path in PACKAGE.rglob("*.py") if path.name != "sentences.py"
            for key in SAID.findall(path.read_text(encoding="utf-8"))}


def test_every_template_is_used_and_every_used_key_exists():
    defined = set(sentences.templates())
    said = keys_said_in_package()
    assert said, "no section helper uses a sentence template"
    assert defined - said == set(), "templates no helper uses"
    assert said - defined == set(), "keys the package asks for but no sentence file defines"


def test_every_sentence_file_belongs_to_a_page():
    pages = {p.stem for p in (paths.PROJECT_ROOT / "notebooks").glob("*.md")}
    files = {p.stem for p in sentences.sentence_files()}
    assert files <= pages


def make_root(tmp_path, files: dict[str, str]) -> Path:
    folder = tmp_path / sentences.SENTENCES_DIR
    folder.mkdir(parents=True)
    for name, body in files.items():
        (folder / name).write_text(body, encoding="utf-8")
    return tmp_path


def test_a_template_is_filled_exactly(tmp_path, monkeypatch):
    root = make_root(tmp_path, {"side.yml": "hilsen: >-\n  Hele {andel} af\n  kommunerne{mark}.\n"})
    monkeypatch.setattr(paths, "PROJECT_ROOT", root)
    sentences.templates.cache_clear()
    try:
        assert sentences.say("hilsen", andel="77 pct.", mark=" †") == "Hele 77 pct. af kommunerne †."
        with pytest.raises(ValueError, match=r"fields not given: \['mark'\]"):
            sentences.say("hilsen", andel="77 pct.")
        with pytest.raises(ValueError, match=r"given but not in the sentence: \['n'\]"):
            sentences.say("hilsen", andel="1", mark="", n="3")
        with pytest.raises(KeyError, match="ukendt"):
            sentences.say("ukendt")
    finally:
        sentences.templates.cache_clear()


def test_a_key_in_two_files_or_a_non_text_entry_is_an_error(tmp_path):
    root = make_root(tmp_path, {"a.yml": "x: Én.\n", "b.yml": "x: To.\n"})
    with pytest.raises(ValueError, match=r"b\.yml: x is also in .*a\.yml"):
        sentences.templates(root)
    root = make_root(tmp_path / "other", {"a.yml": "x:\n  - liste\n"})
    with pytest.raises(ValueError, match=r"a\.yml: x: expected a sentence"):
        sentences.templates(root)
