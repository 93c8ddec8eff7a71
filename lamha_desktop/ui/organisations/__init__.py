"""The organisations tab."""
