import os

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.pop("MUNICIPAL_SURVEY_RESPONSES", None)  # tests always see the synthetic dataset
