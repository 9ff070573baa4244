"""The public REST API, version 1 (see DESIGN.md section 5 and docs/api.md)."""
