"""A miniature project tree (package, extension, data) that the fingerprint and site-stamp modules read."""
from pathlib import Path

# The synthetic answers of the miniature project: one municipality, one answer.
TIDY = "wave,municipality,question,answer\n2020,101,org_a_samlet,4\n"


def write(root: Path) -> None:
    package = root / "src" / "municipal_survey"
    for path, text in {
        package / "__init__.py": "",
        package / "analysis" / "likert.py": "def share(k, n):\n    return k / n\n",
        root / "book" / "_ext" / "dataset_banner.py": "BANNER = 'synthetic'\n",
        root / "data" / "codebook" / "questions_ch1.csv": "question,kind\norg_a_samlet,likert\n",
        root / "data" / "synthetic" / "responses.csv": TIDY,
        root / "data" / "imported" / "responses.csv": TIDY.replace(",4\n", ",3\n"),
    }.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
