"""Commands: flags + config -> a lint or policies run, reports written, an exit code."""
