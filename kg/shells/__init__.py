"""Layer 5, the shells: what runs the core for a person. ``build`` (one plan to files),
``batch`` (many plans, the store), ``report`` (the notebook rendered), ``serve`` (HTTP),
``cli`` (the command line), ``output`` (atomic files); the graph browser is ``kg.viz``.
"""
