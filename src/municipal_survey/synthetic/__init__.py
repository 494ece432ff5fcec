"""Synthetic layer: the calibrated synthetic dataset, its assumptions, calibration report and the
provenance of every number (published or assumed). Imports from `data` and `analysis`."""
