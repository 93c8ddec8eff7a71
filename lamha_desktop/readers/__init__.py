"""Readers of the files users bring in: class lists (.xlsx, .xls, .csv) and schools' returns. No widgets.

Every reader turns a file into plain rows or a payload, or refuses it with a code; nothing here writes to
the database (the operations layer does, after checking what was read).
"""
