"""Plan front end: ``terraform show -json`` output -> a model Root, every module expanded."""
