"""`python -m lamha_desktop`: the application, or a headless command."""

import sys

from lamha_desktop import app

sys.exit(app.main())
