"""``drgen drill``: a region-loss drill on the lint model of a rendered tree or users' Terraform."""
