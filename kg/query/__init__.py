"""Layer 4, querying built graphs: the on-disk or in-memory store (store), SPARQL over it
returning plain results (sparql), the standard result formats (results), external
engines (remote) and the canned queries (canned/*.rq).
"""
