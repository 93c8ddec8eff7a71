"""The ceremonies tab."""
