"""The command line and what it runs: check, new, schema, render, publish."""
