"""The user interface: the only layer that builds widgets."""
