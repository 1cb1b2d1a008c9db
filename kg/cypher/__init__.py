"""Cypher on the graph: the embedded engine (default) and Neo4j, behind one interface."""
