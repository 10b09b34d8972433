"""The command line (DESIGN §10). Never imports PySide6, so headless commands start fast."""
