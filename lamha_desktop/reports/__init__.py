"""Reading and writing files: Excel returns, printable summaries, importers. No widgets."""
