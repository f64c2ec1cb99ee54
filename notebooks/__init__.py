"""The alignment notebook, shipped inside the package as ``kg.notebooks``."""
