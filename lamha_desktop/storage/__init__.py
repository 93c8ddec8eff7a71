"""Persistence: peewee models on SQLite, schema migrations, repositories and backups. No Qt."""
