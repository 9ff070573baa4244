"""Changing data: the services (every write goes through them), audit, history, the quote
check, batched writes, the article import and the seed fixtures' builder.
"""
