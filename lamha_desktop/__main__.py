"""`python -m lamha_desktop`: the application, or a headless command."""

from lamha_desktop import app

app.run()
