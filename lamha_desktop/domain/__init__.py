"""Pure domain logic: no Qt, no peewee."""
