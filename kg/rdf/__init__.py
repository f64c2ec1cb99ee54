"""Layer 3, RDF: the ontology's terms (vocab), the plan model and its analysis as a graph
(graph), the SDG and national-indicator SKOS schemes (schemes), SHACL validation (validate)
and files in every RDF format (serialize). Pure: no file is written here.
"""
