"""The plankg ontology (Turtle files), shipped inside the package as ``kg.ontology``."""
