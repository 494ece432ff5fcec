"""Build layer: never serve stale numbers (fingerprint, site stamp), execute notebooks in parallel,
and check the built site (disclosure). Imports from the layers below it."""
