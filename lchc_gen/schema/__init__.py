"""JSON Schemas shipped with the package (generated; do not edit by hand)."""
