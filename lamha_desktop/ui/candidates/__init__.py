"""The candidates tab."""
