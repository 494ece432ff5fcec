"""Data layer: where the files live, loading and validating them, and importing survey exports.

Nothing here imports from the other layers (analysis, synthetic, report, build).
"""
