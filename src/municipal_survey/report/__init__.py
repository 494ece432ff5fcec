"""Report layer: Danish text and glue, figures, HTML tables with downloads, and one helper per report
section. Imports from `data`, `analysis` and `synthetic`."""
