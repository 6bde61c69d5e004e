"""`python -m recon_tui`."""

from recon_tui.cli import main

raise SystemExit(main())
