"""Writers of the files users take away: Excel returns, printable summaries, error reports. No widgets."""
