"""`python -m app.cli ...`: the same as the `spendsense` script."""

from app.cli.main import main

raise SystemExit(main())
