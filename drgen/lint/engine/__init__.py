"""Engine: a Project + the policy catalog -> findings (selected, suppressed, baselined)."""
