"""Analysis layer: answer tables, rounding, statistics, the report's chapters, verification and the
disclosure rule every breakdown goes through. Imports only from `data`."""
