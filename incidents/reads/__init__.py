"""Answering a GET: filters, read querysets, the contested rule, search, ordering, charts.

Nothing here writes; every queryset goes through ``incidents.access``.
"""
