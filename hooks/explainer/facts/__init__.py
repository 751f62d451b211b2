"""The facts: load `data/`, validate it against the models, resolve references, cut editions."""
